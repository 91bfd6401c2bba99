package dev.surge.messaging;

/**
 * Problem types of the ops endpoints here. The base is service-support's {@code ProblemHandler.TYPE_BASE};
 * messaging-support does not depend on service-support (it sits below it), so the two must say the same.
 */
final class EndpointProblems {

    static final String TYPE_BASE = "https://surge.dev/problems/";

    /** The same types every service gives a malformed or forbidden request. */
    static final String INVALID_REQUEST = TYPE_BASE + "invalid-request";
    static final String FORBIDDEN = TYPE_BASE + "forbidden";

    private EndpointProblems() {
    }
}

package dev.surge.messaging;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

/**
 * Problem documents of the ops endpoints here, and the role their writes need. The base is service-support's {@code ProblemHandler.TYPE_BASE};
 * messaging-support does not depend on service-support (it sits below it), so the two must say the same.
 */
final class EndpointProblems {

    static final String TYPE_BASE = "https://surge.dev/problems/";

    /** The same types every service gives a malformed or forbidden request. */
    static final String INVALID_REQUEST = TYPE_BASE + "invalid-request";
    static final String FORBIDDEN = TYPE_BASE + "forbidden";

    /** The same role every service asks of ops paths ({@code ROLE_ops}). */
    static final String OPS_ROLE = "ops";

    private EndpointProblems() {
    }

    /** Whether a write must be refused: the service has Spring Security and the caller lacks the ops role. */
    static boolean refused(boolean writesNeedOps, SecurityContext caller) {
        return writesNeedOps && !caller.isUserInRole(OPS_ROLE);
    }

    static WebEndpointResponse<Object> forbidden(String detail) {
        return problem(403, FORBIDDEN, "Forbidden", detail);
    }

    /** An RFC 9457 problem document; actuator has no ProblemDetail of its own, and this module no spring-web. */
    static WebEndpointResponse<Object> problem(int status, String type, String title, String detail) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", type);
        problem.put("title", title);
        problem.put("status", status);
        problem.put("detail", detail);
        return new WebEndpointResponse<>(problem, status);
    }
}

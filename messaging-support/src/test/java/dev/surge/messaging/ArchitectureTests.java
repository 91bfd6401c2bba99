package dev.surge.messaging;

import dev.surge.testsupport.ReactiveArchitectureContract;

/** messaging-support runs inside every service, so it obeys the same rules they do. */
class ArchitectureTests extends ReactiveArchitectureContract {

    ArchitectureTests() {
        super("dev.surge.messaging");
    }
}

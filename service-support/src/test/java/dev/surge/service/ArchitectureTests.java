package dev.surge.service;

import dev.surge.testsupport.ReactiveArchitectureContract;

/** service-support runs inside every service, so it obeys the same rules they do. */
class ArchitectureTests extends ReactiveArchitectureContract {

    ArchitectureTests() {
        super("dev.surge.service");
    }
}

package dev.surge.notify;

import dev.surge.testsupport.ReactiveArchitectureContract;

class ArchitectureTests extends ReactiveArchitectureContract {

    ArchitectureTests() {
        super("dev.surge.notify");
    }
}

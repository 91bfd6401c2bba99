package dev.surge.order;

import dev.surge.testsupport.ReactiveArchitectureContract;

class ArchitectureTests extends ReactiveArchitectureContract {

    ArchitectureTests() {
        super("dev.surge.order");
    }
}

package dev.surge.fulfilment;

import dev.surge.testsupport.ReactiveArchitectureContract;

class ArchitectureTests extends ReactiveArchitectureContract {

    ArchitectureTests() {
        super("dev.surge.fulfilment");
    }
}

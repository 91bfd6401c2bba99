package dev.surge.gateway;

import dev.surge.testsupport.ReactiveArchitectureContract;

class ArchitectureTests extends ReactiveArchitectureContract {

    ArchitectureTests() {
        super("dev.surge.gateway");
    }
}

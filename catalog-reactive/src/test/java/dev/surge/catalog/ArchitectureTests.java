package dev.surge.catalog;

import dev.surge.testsupport.ReactiveArchitectureContract;

class ArchitectureTests extends ReactiveArchitectureContract {

    ArchitectureTests() {
        super("dev.surge.catalog");
    }
}

package dev.surge.testsupport.violations;

/** Stand-in storage type for the architecture rule tests. */
public interface ProductRepository {

    Object findById(String sku);
}

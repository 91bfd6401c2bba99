package dev.surge.testsupport.violations.web;

import dev.surge.testsupport.violations.ProductRepository;

/** A web class reaching storage directly: the rule must report it. */
public class ProductController {

    private final ProductRepository products;

    public ProductController(ProductRepository products) {
        this.products = products;
    }

    public Object find(String sku) {
        return products.findById(sku);
    }
}

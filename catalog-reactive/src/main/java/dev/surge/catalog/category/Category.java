package dev.surge.catalog.category;

import java.util.List;

/**
 * A node of the category tree.
 *
 * @param id slug, stable: used in URLs and filters
 * @param name display name
 * @param children sub-categories in display order
 */
public record Category(String id, String name, List<Category> children) {

    public Category {
        children = List.copyOf(children);
    }
}

package dev.surge.service.web;

import java.util.List;

/**
 * One page of a list, the shape every list in the public API has.
 *
 * @param items the elements of this page
 * @param page zero-based page number
 * @param size the requested page size
 * @param total how many elements all pages hold together
 */
public record Page<T>(List<T> items, int page, int size, long total) {

    public Page {
        items = List.copyOf(items);
    }
}

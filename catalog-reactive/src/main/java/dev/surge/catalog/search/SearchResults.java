package dev.surge.catalog.search;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.surge.catalog.product.ProductSummary;

/**
 * One page of search results, best match first.
 *
 * @param items the products of this page
 * @param page zero-based page number
 * @param size the requested page size
 * @param total how many products match in all
 * @param query the query as searched (trimmed, spaces folded)
 * @param correctedQuery the spelling the results are for, when the query as typed found nothing
 *        and a corrected one did ("did you mean"); absent otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SearchResults(List<ProductSummary> items, int page, int size, long total, String query,
        String correctedQuery) {

    public SearchResults {
        items = List.copyOf(items);
    }
}

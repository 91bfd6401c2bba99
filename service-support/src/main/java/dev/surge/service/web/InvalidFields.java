package dev.surge.service.web;

import java.util.List;
import java.util.stream.Collectors;

/** A request body with one or more invalid fields; answered with a 400 problem listing each. */
public class InvalidFields extends RuntimeException {

    private final List<FieldError> errors;

    public InvalidFields(List<FieldError> errors) {
        super(errors.stream().map(error -> error.field() + " " + error.message()).collect(Collectors.joining("; ")));
        this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() {
        return errors;
    }

    /**
     * One invalid field.
     *
     * @param field the field's JSON path ({@code price.amount})
     * @param message what is wrong with it
     */
    public record FieldError(String field, String message) {
    }
}

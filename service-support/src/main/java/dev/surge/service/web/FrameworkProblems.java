package dev.surge.service.web;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.support.WebExchangeBindException;
import org.springframework.web.server.MissingRequestValueException;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;

import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.PropertyBindingException;

/**
 * Problems for the errors the framework raises before a controller runs, each with a stable type
 * and a detail that names what is wrong with the request. Parser messages, Java types and class
 * names stay out: they say nothing to a client and much to an attacker.
 */
final class FrameworkProblems {

    private FrameworkProblems() {
    }

    /** The problem for a framework exception; {@code body} is the one Spring made for it, if any. */
    static ProblemDetail describe(Exception exception, @Nullable Object body, HttpStatusCode status) {
        return switch (exception) {
            case UnsupportedMediaTypeStatusException unsupported -> unsupportedMediaType(unsupported);
            case WebExchangeBindException binding -> invalidFields(binding);
            case MissingRequestValueException missing -> invalidParameter(missing.getName(),
                    "is required (" + missing.getLabel() + ")");
            case ServerWebInputException input -> unreadableInput(input);
            default -> bySlug(body, status);
        };
    }

    private static ProblemDetail unsupportedMediaType(UnsupportedMediaTypeStatusException exception) {
        MediaType sent = exception.getContentType();
        String wanted = exception.getSupportedMediaTypes().stream()
                .filter(MediaType::isConcrete)
                .filter(type -> !type.getSubtype().contains("+"))
                .map(MediaType::toString)
                .findFirst()
                .orElse(MediaType.APPLICATION_JSON_VALUE);
        String detail = sent == null
                ? "The request body needs a Content-Type: send it as " + wanted + "."
                : "Content type '" + sent.getType() + "/" + sent.getSubtype() + "' is not supported: send the body as "
                        + wanted + ".";
        return ProblemHandler.problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type",
                "Unsupported media type", detail);
    }

    private static ProblemDetail invalidFields(WebExchangeBindException exception) {
        List<InvalidFields.FieldError> errors = exception.getFieldErrors().stream()
                .map(error -> new InvalidFields.FieldError(error.getField(), String.valueOf(error.getDefaultMessage())))
                .toList();
        return invalid(errors);
    }

    private static ProblemDetail invalidParameter(String name, String message) {
        return invalid(List.of(new InvalidFields.FieldError(name, message)));
    }

    private static ProblemDetail invalid(List<InvalidFields.FieldError> errors) {
        String detail = errors.isEmpty()
                ? "The request is invalid."
                : errors.stream().map(error -> error.field() + " " + error.message()).collect(Collectors.joining("; "));
        ProblemDetail problem = ProblemHandler.problem(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", detail);
        problem.setProperty("errors", errors);
        return problem;
    }

    /** A body that is not JSON or does not fit the expected shape, or a path or query value of the wrong type. */
    private static ProblemDetail unreadableInput(ServerWebInputException exception) {
        if (exception.getCause() instanceof TypeMismatchException mismatch) {
            String name = mismatch.getPropertyName() != null ? mismatch.getPropertyName()
                    : exception.getMethodParameter() != null ? exception.getMethodParameter().getParameterName()
                    : "parameter";
            return invalidParameter(name, "must be " + describe(mismatch.getRequiredType()));
        }
        JacksonException json = jsonCause(exception);
        if (json instanceof PropertyBindingException unknown) {
            return invalidParameter(path(unknown), "is not a known field");
        }
        if (json instanceof MismatchedInputException mismatched && !mismatched.getPath().isEmpty()) {
            return invalidParameter(path(mismatched), "must be " + describe(mismatched.getTargetType()));
        }
        String detail = json instanceof StreamReadException syntax
                ? "The request body is not valid JSON" + at(syntax.getLocation()) + "."
                : json != null
                        ? "The request body does not have the expected JSON shape" + at(json.getLocation()) + "."
                        : "No request body".equals(exception.getReason())
                                ? "The request needs a JSON body."
                                : "The request body could not be read as JSON.";
        return ProblemHandler.problem(HttpStatus.BAD_REQUEST, "malformed-body", "Malformed request body", detail);
    }

    /** Any other framework status: Spring's own detail, typed by the status's name. */
    private static ProblemDetail bySlug(@Nullable Object body, HttpStatusCode status) {
        HttpStatus known = HttpStatus.resolve(status.value());
        String title = known == null ? "Error " + status.value() : known.getReasonPhrase();
        String slug = title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
        ProblemDetail problem = body instanceof ProblemDetail made ? made : ProblemDetail.forStatus(status);
        if (problem.getType() == null || URI.create("about:blank").equals(problem.getType())) {
            problem.setType(URI.create(ProblemHandler.TYPE_BASE + slug));
        }
        if (problem.getTitle() == null) {
            problem.setTitle(title);
        }
        return problem;
    }

    private static @Nullable JacksonException jsonCause(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof JacksonException json) {
                return json;
            }
        }
        return null;
    }

    /** The JSON path of the offending value, as a client writes it: {@code price.amount}, {@code lines[0].sku}. */
    private static String path(JacksonException exception) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : exception.getPath()) {
            if (reference.getPropertyName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(reference.getPropertyName());
            }
            else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "body" : path.toString();
    }

    private static String at(@Nullable TokenStreamLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    /** A Java type as a JSON client thinks of it. */
    private static String describe(@Nullable Class<?> type) {
        if (type == null) {
            return "of another type";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class
                || type == Short.class || type == short.class || type == BigInteger.class) {
            return "a whole number";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class || type == BigDecimal.class) {
            return "a number";
        }
        if (type == java.util.UUID.class) {
            return "an id (a UUID)";
        }
        if (type == String.class || CharSequence.class.isAssignableFrom(type)) {
            return "text";
        }
        if (type.isEnum()) {
            return "one of " + java.util.Arrays.stream(type.getEnumConstants()).map(Object::toString)
                    .collect(Collectors.joining(", "));
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord() || !type.getName().startsWith("java.")) {
            return "an object";
        }
        return "of another type";
    }
}

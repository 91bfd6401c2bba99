package dev.surge.service.web;

/** A request parameter that is missing or out of range; answered with a 400 problem naming it. */
public class InvalidParameter extends RuntimeException {

    private final String parameter;

    public InvalidParameter(String parameter, String problem) {
        super(parameter + " " + problem);
        this.parameter = parameter;
    }

    public String parameter() {
        return parameter;
    }
}

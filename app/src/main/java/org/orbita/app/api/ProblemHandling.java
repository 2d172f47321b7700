package org.orbita.app.api;

import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import java.util.List;
import java.util.stream.Collectors;
import org.orbita.access.ForbiddenException;
import org.orbita.app.security.SecurityAccess;
import org.orbita.common.FieldError;
import org.orbita.common.InvalidInputException;
import org.orbita.common.NotFoundException;
import org.orbita.profiles.KeyTakenException;
import org.orbita.sending.MtaNodes;
import org.orbita.tabular.FileTooLargeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.orbita.common.UnavailableException;
import org.orbita.storage.StorageException;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every REST error as {@code application/problem+json} (RFC 9457); input errors list each
 * field, the value given and the rule it broke under {@code errors}.
 */
@RestControllerAdvice(basePackages = "org.orbita.app.api")
class ProblemHandling extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandling.class);

    private final SecurityAccess access;

    ProblemHandling(SecurityAccess access) {
        this.access = access;
    }

    static ProblemDetail invalid(List<FieldError> errors) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                errors.stream().map(FieldError::toString).collect(Collectors.joining("; ")));
        p.setTitle("Invalid input");
        p.setProperty("errors", errors);
        return p;
    }

    @ExceptionHandler(InvalidInputException.class)
    ProblemDetail invalidInput(InvalidInputException e) {
        return invalid(e.errors());
    }

    /** An MTA node did not answer as it should: what it said, as a bad gateway (a 404 of the node's as not found). */
    @ExceptionHandler(MtaNodes.NodeProblem.class)
    ProblemDetail mtaNode(MtaNodes.NodeProblem e) {
        boolean missing = e instanceof MtaNodes.Missing;
        ProblemDetail p = ProblemDetail.forStatusAndDetail(missing ? HttpStatus.NOT_FOUND : HttpStatus.BAD_GATEWAY, e.getMessage());
        p.setTitle(missing ? "Not found on the MTA node" : "MTA node problem");
        return p;
    }

    @ExceptionHandler(ForbiddenException.class)
    ProblemDetail forbidden(ForbiddenException e) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.FORBIDDEN, e.getMessage());
        p.setTitle("Forbidden");
        if (e.needed() != null) {
            p.setProperty("permission", e.needed().id());
        }
        return p;
    }

    @ExceptionHandler(NotFoundException.class)
    ProblemDetail notFound(NotFoundException e) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
        p.setTitle("Not found");
        return p;
    }

    @ExceptionHandler(org.orbita.common.ConflictException.class)
    ProblemDetail conflict(org.orbita.common.ConflictException e) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
        p.setTitle("Conflict");
        return p;
    }

    @ExceptionHandler(KeyTakenException.class)
    ProblemDetail conflict(KeyTakenException e) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
        p.setTitle("Unique value taken");
        p.setProperty("errors", List.of(FieldError.of(e.key().field(), e.key().value(), "is unique")));
        return p;
    }

    @ExceptionHandler({FileTooLargeException.class})
    ProblemDetail tooLarge(Exception e) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.PAYLOAD_TOO_LARGE, e.getMessage());
        p.setTitle("Too large");
        return p;
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ProblemDetail typeMismatch(MethodArgumentTypeMismatchException e) {
        return invalid(List.of(FieldError.of(e.getName(), e.getValue(), "has the wrong type")));
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ProblemDetail illegalArgument(IllegalArgumentException e) {
        // a value converted with Jackson (a definition, a mapping) that has the wrong shape
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof JsonMappingException jme) {
                return invalid(List.of(JsonProblems.describe(jme, "request")));
            }
        }
        return invalid(List.of(FieldError.of("request", null, JsonProblems.plain(e.getMessage()))));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        StreamReadException syntax = null;
        JsonMappingException shape = null;
        for (Throwable t = ex.getCause(); t != null; t = t.getCause()) {
            if (t instanceof StreamReadException sre && !(t instanceof JsonMappingException)) {
                syntax = sre;
            } else if (t instanceof JsonMappingException jme && shape == null) {
                shape = jme;
            }
        }
        FieldError error;
        if (syntax != null) { // a syntax error inside a value is still a syntax error, wherever Jackson was
            var at = syntax.getLocation();
            error = FieldError.of("body", null, "is not valid JSON: " + JsonProblems.plain(syntax.getOriginalMessage())
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        } else if (shape != null) {
            error = JsonProblems.describe(shape, "body");
        } else {
            error = FieldError.of("body", null, "is required: a JSON object");
        }
        return ResponseEntity.badRequest().body(invalid(List.of(error)));
    }

    @ExceptionHandler(AccessDeniedException.class)
    ProblemDetail forbidden(AccessDeniedException e, jakarta.servlet.http.HttpServletRequest request) {
        access.refusedRequest(request.getMethod() + " " + request.getRequestURI(), "the key's scopes (within its owner's role) do not allow it");
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.FORBIDDEN, "The API key lacks the scope this operation needs");
        p.setTitle("Forbidden");
        return p;
    }

    /** A service behind the API cannot take more now: nothing was accepted; Retry-After says when to try again. */
    @ExceptionHandler(UnavailableException.class)
    ResponseEntity<ProblemDetail> unavailable(UnavailableException e) {
        return unavailable(e.getMessage(), e.retryAfter());
    }

    /** A store that is down or full: logged with its cause; the caller is told to try again, not given the store's words. */
    @ExceptionHandler(StorageException.class)
    ResponseEntity<ProblemDetail> storageDown(StorageException e) {
        log.error("A store failed under the REST API", e);
        return unavailable("A store Orbita keeps its data in did not answer; nothing was accepted. Try again shortly.", java.time.Duration.ofSeconds(5));
    }

    private static ResponseEntity<ProblemDetail> unavailable(String detail, java.time.Duration retryAfter) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, detail);
        p.setTitle("Unavailable for now");
        p.setProperty("retryAfterSeconds", retryAfter.toSeconds());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header("Retry-After", Long.toString(retryAfter.toSeconds()))
                .contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON).body(p);
    }

    @ExceptionHandler(Exception.class)
    ProblemDetail unexpected(Exception e) {
        log.error("Unexpected error in the REST API", e);
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                "An internal error occurred; it has been logged.");
        return p;
    }
}

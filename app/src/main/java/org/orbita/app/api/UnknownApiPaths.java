package org.orbita.app.api;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A path under {@code /api/} that no operation has answers 404 as a problem naming the path,
 * not the UI's page (the UI's servlet would otherwise take it). Any more specific mapping wins.
 */
@RestController
@Hidden
class UnknownApiPaths {

    @RequestMapping("/api/**")
    ResponseEntity<ProblemDetail> unknown(HttpServletRequest request) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
                request.getMethod() + " " + request.getRequestURI() + " is not an operation of the API; the operations are listed at /swagger-ui.html");
        p.setTitle("No such API path");
        return ResponseEntity.status(HttpStatus.NOT_FOUND).contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON).body(p);
    }
}

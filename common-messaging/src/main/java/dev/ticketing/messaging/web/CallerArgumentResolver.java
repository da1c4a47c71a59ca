package dev.ticketing.messaging.web;

import dev.ticketing.web.IdentityHeaders;
import dev.ticketing.web.ProblemCode;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/**
 * Resolves a {@link Caller} parameter from the gateway's identity headers: without {@code X-User-Id}, 401
 * {@code TOKEN_MISSING}; a user id that is not a positive integer is the sender's mistake, 400 {@code INVALID_REQUEST}
 * (the gateway never sends one).
 */
public class CallerArgumentResolver implements HandlerMethodArgumentResolver {

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == Caller.class;
    }

    @Override
    public Caller resolveArgument(MethodParameter parameter, ModelAndViewContainer mavContainer,
                                  NativeWebRequest request, WebDataBinderFactory binderFactory) {
        String user = request.getHeader(IdentityHeaders.USER_ID);
        if (user == null || user.isBlank()) {
            throw new ApiException(ProblemCode.TOKEN_MISSING, "a queue token is required");
        }
        String token = request.getHeader(IdentityHeaders.TOKEN_ID);
        return new Caller(PathIds.positive(IdentityHeaders.USER_ID, user.strip()), token == null || token.isBlank() ? null : token);
    }
}

package dev.ticketing.messaging.autoconfigure;

import dev.ticketing.messaging.web.Caller;
import dev.ticketing.messaging.web.openapi.PublicApiDocumentation;
import org.springdoc.core.utils.SpringDocUtils;
import org.springdoc.core.customizers.GlobalOpenApiCustomizer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;

/**
 * The OpenAPI document of a servlet service that has springdoc on its class path: its public routes
 * only, as clients of the gateway call them ({@link PublicApiDocumentation}).
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(GlobalOpenApiCustomizer.class)
public class PublicApiDocumentationAutoConfiguration {

    static {
        // Resolved from the gateway's headers, which clients never send: not a parameter of the public API.
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(Caller.class);
    }

    @Bean
    @ConditionalOnMissingBean
    PublicApiDocumentation publicApiDocumentation() {
        return new PublicApiDocumentation();
    }
}

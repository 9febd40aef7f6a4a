package io.opentrackers;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.validation.ValidationBindHandler;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.util.ClassUtils;
import org.springframework.validation.beanvalidation.LocalValidatorFactoryBean;

/**
 * Binds every {@code @ConfigurationProperties} record of the service once the settings are read and before any bean
 * is made, so a bad setting stops the start in a second instead of after the embedded PostgreSQL and the model have
 * started (and a database started for nothing). The records' own rules and their bean-validation
 * constraints are applied exactly as when Spring binds them for their beans; the failure reaches Spring Boot's
 * "APPLICATION FAILED TO START" summary naming the property, the value and where it came from. A port that is no
 * number ({@code PORT=abc}) was the worst case: it failed while Spring read the configuration classes, and the
 * summary showed {@code ${PORT:8080}} instead of the value given.
 *
 * <p>The records are found by scanning this package rather than listed, so a settings record added later is checked
 * first without anyone remembering to add it here.
 */
class SettingsCheckedFirst implements EnvironmentPostProcessor, Ordered {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!application.getAllSources().contains(OpenTrackersApplication.class)) {
            return; // another application on this class path (a test's own context) binds what it needs
        }
        Binder binder = Binder.get(environment);
        try (LocalValidatorFactoryBean validator = new LocalValidatorFactoryBean()) {
            validator.afterPropertiesSet();
            BindHandler validating = new ValidationBindHandler(validator);
            ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
            scanner.addIncludeFilter(new AnnotationTypeFilter(ConfigurationProperties.class));
            for (var candidate : scanner.findCandidateComponents(OpenTrackersApplication.class.getPackageName())) {
                Class<?> settings = ClassUtils.resolveClassName(candidate.getBeanClassName(),
                        application.getClassLoader());
                ConfigurationProperties annotation = settings.getAnnotation(ConfigurationProperties.class);
                binder.bindOrCreate(annotation.prefix().isEmpty() ? annotation.value() : annotation.prefix(),
                        Bindable.of(settings), validating);
            }
        }
    }

    /**
     * After the settings files, profiles and environment variables are in (Boot's config data runs earlier), and
     * before the check that the HTTP port is free ({@code PortCheckedFirst}), which reads {@code server.port}.
     */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE - 1;
    }
}

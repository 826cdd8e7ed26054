package io.tocsin.rules.streams;

import io.micronaut.context.annotation.Factory;
import io.tocsin.rules.definition.RuleSet;
import io.tocsin.rules.definition.RulesLoader;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The effective rules: the shipped defaults, then {@code tocsin.rules.rules-dir} if set. Loaded once, at start; an
 * invalid rules file throws {@link io.tocsin.rules.definition.RulesException} naming file, rule and field, and the
 * start fails before anything runs.
 */
@Factory
public class RuleSetFactory {

    private static final Logger LOG = LoggerFactory.getLogger(RuleSetFactory.class);

    @Singleton
    RuleSet ruleSet(RulesSettings settings) {
        boolean custom = settings.rulesDir() != null && !settings.rulesDir().isBlank();
        RuleSet rules = custom ? RulesLoader.defaultsAnd(Path.of(settings.rulesDir())) : RulesLoader.defaults();
        LOG.info("Rules: {} types ({})", rules.size(), custom ? "shipped defaults and " + settings.rulesDir() : "shipped defaults");
        return rules;
    }
}

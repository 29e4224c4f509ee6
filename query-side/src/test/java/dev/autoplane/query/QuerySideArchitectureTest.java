package dev.autoplane.query;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The query side never imports command-side code: it only knows the events. */
class QuerySideArchitectureTest {

    @Test
    void theQuerySideNeverImportsTheCommandSide() {
        noClasses().that().resideInAPackage("dev.autoplane.query..")
                .should().dependOnClassesThat().resideInAPackage("dev.autoplane.command..")
                .check(new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("dev.autoplane"));
    }
}

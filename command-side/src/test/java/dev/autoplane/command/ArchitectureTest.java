package dev.autoplane.command;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The module boundaries STYLE.md asks for, checked on the compiled classes. */
class ArchitectureTest {

    static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.autoplane");
    }

    @Test
    void sharedEventsAreFreeOfSpringAndStorage() {
        noClasses().that().resideInAPackage("dev.autoplane.events..")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "java.sql..", "javax.sql..",
                        "com.mongodb..", "org.bson..", "reactor..")
                .check(classes);
    }

    @Test
    void aggregatesKnowNothingOfTheWebOrReactor() {
        noClasses().that().resideInAnyPackage("dev.autoplane.command.automation..", "dev.autoplane.command.identity..",
                        "dev.autoplane.command.agent..")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework.web..", "org.springframework.http..",
                        "reactor..", "dev.autoplane.platform.web..")
                .check(classes);
    }

    @Test
    void onlyTheCryptoPackageTouchesCiphers() {
        noClasses().that().resideOutsideOfPackage("dev.autoplane.command.crypto..")
                .should().dependOnClassesThat().resideInAnyPackage("com.google.crypto.tink..")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("javax.crypto.Cipher")
                .check(classes);
    }

    @Test
    void theCommandSideNeverImportsTheQuerySide() {
        noClasses().that().resideInAPackage("dev.autoplane.command..")
                .should().dependOnClassesThat().resideInAPackage("dev.autoplane.query..")
                .check(classes);
    }
}

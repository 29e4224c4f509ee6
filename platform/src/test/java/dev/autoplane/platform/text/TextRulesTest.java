package dev.autoplane.platform.text;

import dev.autoplane.events.common.DomainException;
import dev.autoplane.events.common.DomainException.FieldViolation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The text rules against an independent oracle (a strict UTF-8 round trip) and by example. */
class TextRulesTest {

    /** Seeded random strings mixing ASCII, controls, BMP letters, astral pairs and lone surrogates. */
    static Stream<String> randomStrings() {
        Random random = new Random(15_08L);
        return IntStream.range(0, 500).mapToObj(n -> {
            StringBuilder s = new StringBuilder();
            int length = random.nextInt(12);
            for (int i = 0; i < length; i++) {
                switch (random.nextInt(7)) {
                    case 0 -> s.append((char) (0x20 + random.nextInt(95)));
                    case 1 -> s.append((char) random.nextInt(0x20));
                    case 2 -> s.append((char) (0xA0 + random.nextInt(0xD000)));
                    case 3 -> s.appendCodePoint(0x10000 + random.nextInt(0xFFFFF));
                    case 4 -> s.append((char) (0xD800 + random.nextInt(0x400)));   // a high surrogate alone
                    case 5 -> s.append((char) (0xDC00 + random.nextInt(0x400)));   // a low surrogate alone
                    default -> s.append('\0');
                }
            }
            return s.toString();
        });
    }

    /** What a strict parser would say: valid UTF-16 that encodes to UTF-8 and back, without NUL. */
    static boolean oracle(String s) {
        try {
            ByteBuffer bytes = StandardCharsets.UTF_8.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).encode(java.nio.CharBuffer.wrap(s));
            String back = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT).decode(bytes).toString();
            return back.equals(s) && s.indexOf('\0') < 0;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    @ParameterizedTest
    @MethodSource("randomStrings")
    void theFloorAgreesWithAStrictUtf8RoundTrip(String s) {
        assertThat(TextRules.isValid(s)).as("%s", s.chars().mapToObj(Integer::toHexString).toList()).isEqualTo(oracle(s));
        assertThat(oracle(TextRules.printable(s).replace("\0", ""))).isTrue();
    }

    @ParameterizedTest
    @MethodSource("randomStrings")
    void everyRuleRefusesWhatTheFloorRefuses(String s) {
        for (TextRules.Rule rule : List.of(TextRules.NAME, TextRules.AGENT_NAME, TextRules.REFERENCE, TextRules.REASON,
                TextRules.HEADER_REASON, TextRules.SECRET, TextRules.FREE_TEXT)) {
            List<FieldViolation> violations = new ArrayList<>();
            String out = rule.check("f", s, violations);
            if (!oracle(s)) {
                assertThat(violations).hasSize(1);
                assertThat(out).isNull();
            } else if (violations.isEmpty()) {
                assertThat(out).isNotNull();
                assertThat(oracle(out)).isTrue();
                assertThat(out.length()).isBetween(rule.min(), rule.max());
            }
        }
    }

    @Test
    void namesAreTrimmedOneLineAndBounded() {
        assertThat(TextRules.NAME.require("name", "  Weekly digest \uD83D\uDE80 ")).isEqualTo("Weekly digest \uD83D\uDE80");
        assertThat(TextRules.NAME.require("name", "\u202eRTL is text")).isEqualTo("\u202eRTL is text");
        assertThat(TextRules.NAME.require("name", " " + "x".repeat(200) + " ")).hasSize(200);
        for (Object bad : new Object[]{null, "", "   ", "x".repeat(201), "two\nlines", "tab\t", "x\uD800y", "\uDC00", "nul\0",
                12345, true, List.of("a")}) {
            assertThatThrownBy(() -> TextRules.NAME.require("name", bad)).as("%s", bad)
                    .isInstanceOfSatisfying(DomainException.class, e -> {
                        assertThat(e.details().kind()).isEqualTo(DomainException.Kind.INVALID);
                        assertThat(e.details().violations()).extracting(FieldViolation::field).containsExactly("name");
                    });
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"line one\nline two", "tabs\tare fine", "crlf\r\n"})
    void reasonsMayHaveSeveralLinesButNoNul(String reason) {
        assertThat(TextRules.REASON.require("reason", reason)).isEqualTo(reason);
        assertThatThrownBy(() -> TextRules.REASON.require("reason", reason + "\0")).isInstanceOf(DomainException.class);
        assertThatThrownBy(() -> TextRules.REASON.require("reason", reason + "\uD800")).isInstanceOf(DomainException.class);
    }

    @Test
    void optionalValuesMayBeAbsentButNotWrong() {
        assertThat(TextRules.REASON.optional("reason", null)).isNull();
        assertThatThrownBy(() -> TextRules.REASON.optional("reason", 12345)).hasMessageContaining("must be a string");
        assertThatThrownBy(() -> TextRules.REASON.optional("reason", " ")).hasMessageContaining("blank");
        assertThat(TextRules.firstLoneSurrogate("ok\uD83D\uDE80\uDE80")).isEqualTo(4);
    }
}

package io.opentrackers.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentrackers.common.FieldViolation;
import io.opentrackers.common.InvalidInputException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TrackerRulesTest {

    private final TrackerRules rules = new TrackerRules(TrackerLimits.defaults());

    private static TrackerRequest request(String name, String... phrases) {
        return new TrackerRequest(name, Arrays.asList(phrases), null, null, null, null);
    }

    private static List<String> phrases(int count) {
        return IntStream.range(0, count).mapToObj(i -> "phrase " + i).toList();
    }

    private List<FieldViolation> violations(TrackerRequest request) {
        List<FieldViolation> violations = new ArrayList<>();
        assertThat(rules.check(request, "", violations)).isNull();
        return violations;
    }

    @Test
    void acceptsAndNormalisesAValidTracker() {
        TrackerContent content = rules.validate(new TrackerRequest("  Pricing ", List.of(" how much ", "b", "c", "d", "e"),
                "about money", List.of(" sales "), null, 0.25));

        assertThat(content.name()).isEqualTo("Pricing");
        assertThat(content.vocabulary()).containsExactly("how much", "b", "c", "d", "e");
        assertThat(content.categories()).containsExactly("sales");
        assertThat(content.languages()).containsExactly("en-US");
        assertThat(content.sensitivity()).isEqualTo(0.25);
    }

    /**
     * A management audit: a phrase of 200 CJK characters outside the BMP was "400 characters long", and its quote
     * in the error ended in half a surrogate pair ({@code \uD840...}), which is no text a client can decode.
     */
    @Test
    void lengthsCountCharactersAndQuotesNeverCutOneInHalf() {
        String ideograph = new String(Character.toChars(0x20000));
        List<FieldViolation> found = violations(request("Long", ideograph.repeat(257), "b", "c", "d", "e"));

        assertThat(found).extracting(FieldViolation::message).containsExactly(
                "\"" + ideograph.repeat(77) + "...\" is 257 characters long; at most 256 are allowed");
        assertThat(rules.validate(request(ideograph.repeat(128), ideograph.repeat(256), "b", "c", "d", "e")).name())
                .isEqualTo(ideograph.repeat(128));
        assertThat(violations(request(ideograph.repeat(129), "a", "b", "c", "d", "e")))
                .extracting(FieldViolation::describe).containsExactly("name: must be at most 128 characters, has 129");
    }

    @Test
    void namesAreComposedAndOneLine() {
        assertThat(rules.validate(request(" Cafe\u0301\u00a0", "a", "b", "c", "d", "e")).name()).isEqualTo("Caf\u00e9");
        assertThat(violations(request("Pri\ncing", "a", "b", "c", "d", "e"))).extracting(FieldViolation::describe)
                .containsExactly("name: contains the control character U+000A; a name is one line of text");
        assertThat(violations(request("x\u0000", "a", "b", "c", "d", "e"))).extracting(FieldViolation::describe)
                .containsExactly("name: must not contain the NUL character (\\u0000)");
    }

    /**
     * A name pasted from a web page ({@code "Pricing\u00a0Objection"}) looked like {@code "Pricing Objection"} and was
     * another name: the duplicate rule let it through and {@code ?name=} typed with a space missed it. Spaces of any
     * kind inside a name are one plain space; a line or paragraph separator is refused like a line break; a character
     * that shows as nothing is refused naming it, since dropping it silently would store another text than was sent.
     */
    @Test
    void namesAreSingleSpacedAndRefuseCharactersThatShowAsNothing() {
        for (String spaced : List.of("Pricing\u00a0Objection", "Pricing  Objection", "Pricing \u202f\u2003Objection",
                "Pricing\u3000Objection", "Pricing\u2009Objection")) {
            assertThat(rules.validate(request(spaced, "a", "b", "c", "d", "e")).name()).as(spaced)
                    .isEqualTo("Pricing Objection");
        }
        assertThat(TrackerRules.nameForm(" Pricing\u00a0\u00a0Objection\u200b")).isEqualTo("Pricing Objection");
        assertThat(violations(request("Pricing\u2028Objection", "a", "b", "c", "d", "e")))
                .extracting(FieldViolation::describe)
                .containsExactly("name: contains the line separator U+2028; a name is one line of text");
        assertThat(violations(request("Pricing\u2029Objection", "a", "b", "c", "d", "e")))
                .extracting(FieldViolation::describe)
                .containsExactly("name: contains the paragraph separator U+2029; a name is one line of text");
        assertThat(violations(request("\u00a0Pricing\u200bObjection", "a", "b", "c", "d", "e")))
                .extracting(FieldViolation::describe)
                .containsExactly("name: contains the invisible character U+200B (ZERO WIDTH SPACE) after \"Pricing\"; "
                        + "a name holds only characters that show, so that names that read the same are the same name");
        String longName = "\uD83D\uDE00".repeat(50) + "\u2060x";
        assertThat(violations(request(longName, "a", "b", "c", "d", "e"))).extracting(FieldViolation::message)
                .singleElement().asString().contains("U+2060 (WORD JOINER) after \"..." + "\uD83D\uDE00".repeat(40)
                        + "\";");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u200e", "\u202e",
            "\u2066"})
    void aFormatCharacterBetweenLatinLettersIsRefused(String format) {
        assertThat(violations(request("can" + format + "cel", "a", "b", "c", "d", "e")))
                .extracting(FieldViolation::message).singleElement().asString()
                .startsWith("contains the invisible character U+" + String.format("%04X", format.codePointAt(0)));
    }

    /** Joiners that change how letters or emoji are drawn, the tags of a flag, the Arabic number sign. */
    @ParameterizedTest
    @ValueSource(strings = {"\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645", "\u0915\u094d\u200d\u0937",
            "\uD83D\uDC69\u200d\uD83D\uDCBB team", "\uD83C\uDFF3\uFE0F\u200d\uD83C\uDF08 pride",
            "\uD83C\uDFF4\uDB40\uDC67\uDB40\uDC62\uDB40\uDC73\uDB40\uDC63\uDB40\uDC74\uDB40\uDC7F Scotland",
            "\u0600\u0661\u0662", "Scotland \uD83C\uDFF4\uDB40\uDC67\uDB40\uDC62\uDB40\uDC73\uDB40\uDC63\uDB40\uDC74"
            + "\uDB40\uDC7F"})
    void formatCharactersThatShowAreKept(String name) {
        assertThat(rules.validate(request(name, "a", "b", "c", "d", "e")).name()).isEqualTo(name);
    }

    @Test
    void reportsEveryViolationAtOnce() {
        assertThatThrownBy(() -> rules.validate(new TrackerRequest(null, List.of("a?"), null, null, List.of("english!"), 2.0)))
                .isInstanceOf(InvalidInputException.class)
                .extracting(e -> ((InvalidInputException) e).violations().stream().map(FieldViolation::field).toList())
                .isEqualTo(List.of("name", "vocabulary", "vocabulary[0]", "languages[0]", "sensitivity"));
    }

    @Test
    void nameIsRequiredNonBlankAndAtMost128Characters() {
        assertThat(violations(request(null, "a", "b", "c", "d", "e"))).extracting(FieldViolation::describe)
                .containsExactly("name: is required");
        assertThat(violations(request(" \t", "a", "b", "c", "d", "e"))).extracting(FieldViolation::describe)
                .containsExactly("name: must not be blank");
        assertThat(violations(request("n".repeat(129), "a", "b", "c", "d", "e"))).extracting(FieldViolation::describe)
                .containsExactly("name: must be at most 128 characters, has 129");
        assertThat(rules.validate(request(" " + "n".repeat(128) + " ", "a", "b", "c", "d", "e")).name()).hasSize(128);
    }

    @Test
    void vocabularyHasFiveToFiftyPhrases() {
        assertThat(violations(new TrackerRequest("n", phrases(4), null, null, null, null)))
                .extracting(FieldViolation::describe).containsExactly("vocabulary: must have 5 to 50 phrases, has 4");
        assertThat(violations(new TrackerRequest("n", phrases(51), null, null, null, null)))
                .extracting(FieldViolation::describe).containsExactly("vocabulary: must have 5 to 50 phrases, has 51");
        assertThat(rules.validate(new TrackerRequest("n", phrases(5), null, null, null, null)).vocabulary()).hasSize(5);
        assertThat(rules.validate(new TrackerRequest("n", phrases(50), null, null, null, null)).vocabulary()).hasSize(50);
    }

    @Test
    void limitsAreConfigurable() {
        TrackerRules strict = new TrackerRules(new TrackerLimits(2, 3, 10, null, 5, 2, 4));
        List<FieldViolation> violations = new ArrayList<>();
        strict.check(request("toolong", "a", "b", "c", "d"), "", violations);
        assertThat(violations).extracting(FieldViolation::field).containsExactly("name", "vocabulary");
        assertThat(strict.validate(request("ok", "short", "ten chars!".replace('!', 's'))).vocabulary()).hasSize(2);
    }

    @Test
    void duplicatePhrasesAreFoundIgnoringCase() {
        assertThat(violations(request("n", "Price", "b", "c", "d", " PRICE ")))
                .extracting(FieldViolation::describe)
                .containsExactly("vocabulary[4]: \"PRICE\" repeats vocabulary[0] (" + TrackerRules.SAME_PHRASE + ")");
    }

    @Test
    void namesAndPhrasesAreTrimmedOfInvisibleCharactersAndPhrasesStoredInOneForm() {
        assertThat(violations(request("\u00a0\u200b\u202f", "a", "b", "c", "d", "e"))).extracting(FieldViolation::describe)
                .containsExactly("name: must not be blank");
        TrackerContent content = rules.validate(new TrackerRequest("\ufeffPricing\u2007", List.of("\u200bhow\u00a0 much ",
                "cafe\u0301", "c", "d", "e"), null, List.of("\u00a0sales\u200b"), null, null));
        assertThat(content.name()).isEqualTo("Pricing");
        assertThat(content.vocabulary()).containsExactly("how much", "caf\u00e9", "c", "d", "e");
        assertThat(content.categories()).containsExactly("sales");
        assertThat(violations(new TrackerRequest("n", phrases(5), null, List.of("\u200b"), null, null)))
                .extracting(FieldViolation::describe).containsExactly("categories[0]: must be a non-blank string");
        // inside a phrase, an invisible character is still refused by name
        assertThat(violations(request("n", "a", "b", "c", "d", "price\u200blist"))).extracting(FieldViolation::message)
                .singleElement().asString().contains("contains U+200B which is not allowed");
    }

    @Test
    void phrasesAreNonBlankAndAtMost256Characters() {
        assertThat(violations(request("n", "a", " ", "c", "d", "e"))).extracting(FieldViolation::describe)
                .containsExactly("vocabulary[1]: must not be blank");
        assertThat(violations(request("n", "a", null, "c", "d", "e"))).extracting(FieldViolation::describe)
                .containsExactly("vocabulary[1]: must be a phrase, was null");
        assertThat(violations(request("n", "a", "b", "c", "d", "x".repeat(257)))).extracting(FieldViolation::field)
                .containsExactly("vocabulary[4]");
        assertThat(rules.validate(request("n", "a", "b", "c", "d", "x".repeat(256))).vocabulary()).hasSize(5);
    }

    @Test
    void disallowedCharactersAreNamed() {
        assertThat(violations(request("n", "a", "b", "what's the price?", "d", "e")))
                .extracting(FieldViolation::describe)
                .containsExactly("vocabulary[2]: \"what's the price?\" contains '?' which is not allowed; a phrase holds "
                        + "only letters, digits, spaces, full stops (.), apostrophes (') and hyphens (-)");
        assertThat(violations(request("n", "a", "b", "c", "d", "tab\there"))).extracting(FieldViolation::message)
                .singleElement().asString().contains("contains U+0009 which is not allowed");
    }

    @Test
    void aPhraseOfPunctuationAloneIsRefusedForItMatchesNothing() {
        assertThat(violations(request("n", "a", "-", "c", "...", "e'"))).extracting(FieldViolation::describe)
                .containsExactly("vocabulary[1]: \"-\" has no letter or digit; a phrase of punctuation alone matches "
                        + "nothing", "vocabulary[3]: \"...\" has no letter or digit; a phrase of punctuation alone "
                        + "matches nothing");
        assertThat(rules.validate(request("n", "a", "co-op", "c", "2.0", "e")).vocabulary()).hasSize(5);
    }

    @ParameterizedTest
    @ValueSource(strings = {",", "!", ":", "(", ")", "[", "]", "\"", "/", "&", "_", "@", "#", "%", "€", "’", "😀"})
    void punctuationAndSymbolsAreRefused(String character) {
        assertThat(TrackerRules.firstDisallowedCodePoint("price" + character + " check"))
                .isEqualTo(character.codePointAt(0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Preis prüfen", "价格是多少", "कीमत क्या है", "цена вопроса", "السعر مرتفع", "l'offre",
            "co-op 2.0", "٣ أيام", "e\u0301te\u0301", "price\u00a0list"})
    void lettersOfAnyScriptWithMarksDigitsAndSpacesAreAllowed(String phrase) {
        assertThat(TrackerRules.firstDisallowedCodePoint(phrase)).isEqualTo(-1);
    }

    @Test
    void sensitivityIsBetweenZeroAndOne() {
        for (double bad : new double[] {-0.01, 1.01, Double.NaN}) {
            assertThat(violations(new TrackerRequest("n", phrases(5), null, null, null, bad)))
                    .extracting(FieldViolation::field).containsExactly("sensitivity");
        }
        assertThat(rules.validate(new TrackerRequest("n", phrases(5), null, null, null, 0.0)).sensitivity()).isZero();
        assertThat(rules.validate(new TrackerRequest("n", phrases(5), null, null, null, 1.0)).sensitivity()).isOne();
    }

    @Test
    void languagesDefaultToEnUsAndMustBeTags() {
        assertThat(rules.validate(new TrackerRequest("n", phrases(5), null, null, List.of(), null)).languages())
                .containsExactly("en-US");
        assertThat(violations(new TrackerRequest("n", phrases(5), null, null, List.of("en-US", "not a tag"), null)))
                .extracting(FieldViolation::field).containsExactly("languages[1]");
    }

    /** Issue 20: 50,000 categories were accepted; now the list is refused as a whole, naming its size. */
    @Test
    void categoriesAndLanguagesAreBoundedInCountAndLength() {
        List<String> fifty = IntStream.range(0, 50).mapToObj(i -> "category " + i).toList();
        assertThat(rules.validate(new TrackerRequest("n", phrases(5), null, fifty, null, null)).categories())
                .hasSize(50);
        List<String> many = IntStream.range(0, 50_000).mapToObj(i -> "c" + i).toList();
        assertThat(violations(new TrackerRequest("n", phrases(5), null, many, many, null)))
                .extracting(FieldViolation::describe)
                .containsExactly("categories: must have at most 50 items, has 50000",
                        "languages: must have at most 50 items, has 50000");
        assertThat(violations(new TrackerRequest("n", phrases(5), null, List.of("x".repeat(129)), null, null)))
                .extracting(FieldViolation::describe)
                .containsExactly("categories[0]: must be at most 128 characters, has 129");
        assertThat(rules.validate(new TrackerRequest("n", phrases(5), null, List.of("x".repeat(128)), null, null))
                .categories()).containsExactly("x".repeat(128));

        TrackerRules strict = new TrackerRules(new TrackerLimits(null, null, null, null, null, 2, 4));
        List<FieldViolation> violations = new ArrayList<>();
        strict.check(new TrackerRequest("n", phrases(5), null, List.of("a", "b", "c"), List.of("en-US"), null), "",
                violations);
        assertThat(violations).extracting(FieldViolation::describe)
                .containsExactly("categories: must have at most 2 items, has 3",
                        "languages[0]: must be at most 4 characters, has 5");
    }

    @Test
    void acceptsConditionsAndDefaultsToNone() {
        TrackerContent plain = rules.validate(request("n", "a", "b", "c", "d", "e"));
        assertThat(plain.conditions()).isEqualTo(io.opentrackers.matching.TrackerConditions.NONE);

        TrackerContent content = rules.validate(new TrackerRequest("n", List.of("a", "b", "c", "d", "e"), null, null,
                null, null, "customer", new WindowRequest("end", 86_400.0, null), List.of(" not now ", "never")));
        assertThat(content.conditions().speaker()).isEqualTo("customer");
        assertThat(content.conditions().window()).isEqualTo(
                new io.opentrackers.matching.TrackerConditions.Window("end", 86_400, null));
        assertThat(content.conditions().exclude()).containsExactly("not now", "never");
    }

    @Test
    void conditionsAreRefusedNamingTheField() {
        List<FieldViolation> violations = violations(new TrackerRequest("n", List.of("a", "b", "c", "d", "e"), null,
                null, null, null, "Agent", new WindowRequest("START", 86_401.0, null), List.of("A", "b", "x!", "X!")));
        assertThat(violations).extracting(FieldViolation::describe).containsExactly(
                "speaker: must be one of any, agent, customer, was 'Agent'",
                "window.anchor: must be start or end, was 'START'",
                "window.seconds: must be a whole number from 1 to 86400, was 86401",
                "exclude[2]: \"x!\" contains '!' which is not allowed; a phrase holds only letters, digits, spaces, full stops (.), apostrophes (') and hyphens (-)",
                "exclude[3]: \"X!\" contains '!' which is not allowed; a phrase holds only letters, digits, spaces, full stops (.), apostrophes (') and hyphens (-)",
                "exclude[3]: \"X!\" repeats exclude[2] (" + TrackerRules.SAME_PHRASE + ")",
                "exclude[0]: \"A\" is also vocabulary[0]; a tracker cannot exclude its own phrase",
                "exclude[1]: \"b\" is also vocabulary[1]; a tracker cannot exclude its own phrase");
        assertThat(violations(new TrackerRequest("n", List.of("a", "b", "c", "d", "e"), null, null, null, null, null,
                new WindowRequest("start", 10.0, 2.0), null))).extracting(FieldViolation::describe)
                .containsExactly("window: must have exactly one of seconds and messages");
        assertThat(violations(new TrackerRequest("n", List.of("a", "b", "c", "d", "e"), null, null, null, null, null,
                new WindowRequest("start", null, 0.5), null))).extracting(FieldViolation::describe)
                .containsExactly("window.messages: must be a whole number from 1 to 10000, was 0.5");
    }

    @Test
    void prefixesFieldNamesForNestedTrackers() {
        List<FieldViolation> violations = new ArrayList<>();
        rules.checkInline(new TrackerReference(null, "n", List.of("a", "b"), null), "trackers[3].", violations);
        assertThat(violations).extracting(FieldViolation::field).containsExactly("trackers[3].vocabulary");
    }

    /** PostgreSQL refuses NUL; an unpaired surrogate would be stored as '?': both are refused in every text field. */
    @ParameterizedTest
    @ValueSource(strings = {"x\u0000y", "x\uD800y", "x\uDC00", "\uD83D"})
    void textThatCannotBeStoredIsRefusedInEveryField(String bad) {
        TrackerRequest request = new TrackerRequest("name " + bad, List.of("one", "two " + bad, "three", "four", "five"),
                "about " + bad, List.of("sales", bad), List.of("en-US", bad), null);
        List<FieldViolation> violations = violations(request);
        for (String field : List.of("name", "vocabulary[1]", "description", "categories[1]", "languages[1]")) {
            assertThat(violations).as(field).anySatisfy(violation -> {
                assertThat(violation.field()).isEqualTo(field);
                assertThat(violation.message()).containsAnyOf("NUL character", "unpaired UTF-16 surrogate");
            });
        }
    }

    @Test
    void pairedSurrogatesAreOrdinaryText() {
        TrackerContent content = rules.validate(new TrackerRequest("Emoji \uD83D\uDE00", List.of("a", "b", "c", "d", "e"),
                "smile \uD83D\uDE00", List.of("\uD83D\uDE00"), null, null));
        assertThat(content.name()).isEqualTo("Emoji \uD83D\uDE00");
    }

    @Test
    void referenceIdsMustBeStorableToBeLookedUp() {
        List<FieldViolation> violations = new ArrayList<>();
        assertThat(TrackerRules.checkReferenceId("abc\u0000", "trackers[0].id", violations)).isFalse();
        assertThat(TrackerRules.checkReferenceId(" ", "trackers[1].id", violations)).isFalse();
        assertThat(TrackerRules.checkReferenceId("0f6b2d1e-5d55-4a4b-9a53-2b2f0c8f5a10", "trackers[2].id", violations))
                .isTrue();
        assertThat(violations).extracting(FieldViolation::describe).containsExactly(
                "trackers[0].id: must not contain the NUL character (\\u0000)", "trackers[1].id: must not be blank");
    }
}

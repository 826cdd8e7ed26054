package io.tocsin.collector.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tocsin.schema.wire.FieldError;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading foreign JSON fields: errors name the field, names are sanitised, text and labels bounded. */
class ForeignFieldsTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void decimalsKeepUnsigned64BitIdsAsText() throws Exception {
        JsonNode alarm = JSON.readTree("""
                {"big": 18446744073709551615, "seed": 10736685724696984427, "text": "0470", "neg": -1,
                 "frac": 1.5, "word": "abc", "bool": true}""");
        ForeignFields f = new ForeignFields();
        assertThat(f.decimal(alarm, "alarm", "big")).isEqualTo("18446744073709551615");
        assertThat(f.decimal(alarm, "alarm", "seed")).isEqualTo("10736685724696984427");
        assertThat(f.decimal(alarm, "alarm", "text")).isEqualTo("470");
        assertThat(f.decimal(alarm, "alarm", "absent")).isNull();
        assertThat(f.errors()).isEmpty();
        for (String bad : new String[] {"neg", "frac", "word", "bool"}) {
            assertThat(f.decimal(alarm, "alarm", bad)).isNull();
        }
        assertThat(f.errors()).extracting(FieldError::field).containsExactly("alarm.neg", "alarm.frac", "alarm.word", "alarm.bool");
        assertThat(f.decimal("cid", "12")).isEqualTo("12");
    }

    @Test
    void stringsOfOtherTypesAreErrorsNamingTheField() throws Exception {
        ForeignFields f = new ForeignFields();
        JsonNode node = JSON.readTree("{\"a\": \"x\", \"b\": 3, \"c\": null}");
        assertThat(f.string(node, "", "a")).isEqualTo("x");
        assertThat(f.string(node, "", "c")).isNull();
        assertThat(f.string(node, "", "b")).isNull();
        assertThat(f.firstString(node, "", "c", "a")).isEqualTo("x");
        assertThat(f.errors()).containsExactly(new FieldError("b", "must be a string"));
    }

    @Test
    void operatorNamesAreCheckedNotRepaired() {
        ForeignFields f = new ForeignFields();
        assertThat(f.operatorName("controller", "cc1.example.com")).isEqualTo("cc1.example.com");
        assertThat(f.operatorName("controller", null)).isNull();
        assertThat(f.operatorName("controller", "cc 1")).isNull();
        assertThat(f.operatorName("source", "a".repeat(129))).isNull();
        assertThat(f.errors()).extracting(FieldError::field).containsExactly("controller", "source");
    }

    @Test
    void payloadNamesAreSanitisedIntoTheSourceAlphabet() {
        assertThat(ForeignFields.sanitisedName("10.0.0.5")).isEqualTo("10.0.0.5");
        assertThat(ForeignFields.sanitisedName(" cc1.example.com ")).isEqualTo("cc1.example.com");
        assertThat(ForeignFields.sanitisedName("fe80::1")).isEqualTo("fe80-1");
        assertThat(ForeignFields.sanitisedName("job:up:ratio")).isEqualTo("job-up-ratio");
        assertThat(ForeignFields.sanitisedName("__private")).isEqualTo("private");
        assertThat(ForeignFields.sanitisedName("::")).isEmpty();
        assertThat(ForeignFields.sanitisedName(null)).isEmpty();
        assertThat(ForeignFields.sanitisedName("x".repeat(300))).hasSize(128);
        assertThat(ForeignFields.sanitisedName("x".repeat(300))).matches(ForeignFields.NAME.pattern());
    }

    @Test
    void textIsCutWithAnEllipsisAndNeverSplitsASurrogatePair() {
        assertThat(ForeignFields.text("abcdef", 6)).isEqualTo("abcdef");
        assertThat(ForeignFields.text("abcdefg", 6)).isEqualTo("abcde…");
        assertThat(ForeignFields.text(null, 6)).isEmpty();
        String emoji = "abcd\uD83D\uDE00xyz";
        assertThat(ForeignFields.text(emoji, 6)).isEqualTo("abcd…");
    }

    @Test
    void labelsAreBoundedTheSameWayEveryTime() {
        Map<String, String> labels = new LinkedHashMap<>();
        for (int i = 99; i >= 0; i--) {
            labels.put(String.format("k%02d", i), "v" + i);
        }
        labels.put("empty", "");
        labels.put("k".repeat(129), "too long a key");
        labels.put("a-long-value", "x".repeat(2000));
        Map<String, String> bounded = ForeignFields.boundedLabels(labels);
        assertThat(bounded).hasSize(64).containsKey("a-long-value").containsKey("k00").doesNotContainKey("empty")
                .doesNotContainKey("k99");
        assertThat(bounded.get("a-long-value")).hasSize(1024);
    }
}

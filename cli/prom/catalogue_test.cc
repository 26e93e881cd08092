#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "prom/parser.h"

namespace hfi::prom {
namespace {

using std::string_view_literals::operator""sv;

// Every case of the edge-case catalogue (facts/anchors.md §4.3), plus the rows of the parser
// comparison table (§4.2) it does not repeat. "" means accepted; otherwise the first error as
// "line:column: message". Strict mode follows promtool 2.42 wherever the catalogue's text and
// promtool differ (each such case was run through `promtool check metrics`):
//  - type_without_type (`# TYPE m`), type_after_two_spaces, invalid_utf8_help: promtool
//    accepts (expfmt ignores an empty TYPE, skips all blanks, never checks HELP's encoding);
//    scrape mode rejects them as the Prometheus server's parser does.
//  - hist_negative_bucket_count: promtool accepts negative bucket counts and `_count`, so strict
//    mode does too, with a warning.
//  - utf8_quoted_names: promtool 2.42 predates quoted UTF-8 names and rejects them.
// Scrape mode choices where the Prometheus server's behaviour is not settled by the catalogue:
// missing_comma is accepted with a warning; a raw newline inside a label value is always an
// error (the parser is line based; expfmt and OpenMetrics reject it too).
struct Case {
  const char* name;
  std::string_view input;
  const char* strict_error;
  const char* scrape_error;
  const char* scrape_warning;  // first warning in scrape mode, "" for none
};

const Case kCatalogue[] = {
    {"name_without_value", "a\n"sv, "1:2: expected a value after the metric",
     "1:2: expected a value after the metric", ""},
    {"single_quoted_label_value", "a{b='c'} 1\n"sv,
     "1:5: expected '\"' to start the value of label \"b\"",
     "1:5: expected '\"' to start the value of label \"b\"", ""},
    {"backtick_label_value", "{foo=`bar`} 23\n"sv, "1:1: expected a metric name, found \"{\"",
     "1:6: expected '\"' to start the value of label \"foo\"", ""},
    {"label_value_cut_by_newline", "a{b=\n"sv,
     "1:5: expected '\"' to start the value of label \"b\"",
     "1:5: expected '\"' to start the value of label \"b\"", ""},
    {"unterminated_label_value", "something_weird{problem=\"\n"sv,
     "1:25: label value is not terminated (missing '\"'; a newline in a value must be written \\n)",
     "1:25: label value is not terminated (missing '\"'; a newline in a value must be written \\n)",
     ""},
    {"unterminated_label_value_at_eof", "something_weird{problem=\""sv,
     "1:25: label value is not terminated (missing '\"'; a newline in a value must be written \\n)",
     "1:25: label value is not terminated (missing '\"'; a newline in a value must be written \\n)",
     ""},
    {"empty_label_name", "empty_label_name{=\"\"} 0\n"sv,
     "1:18: expected a label name, found \"=\"", "1:18: expected a label name, found \"=\"", ""},
    {"unquoted_label_without_name", "{A}0\n"sv, "1:1: expected a metric name, found \"{\"",
     "1:3: expected '=' after label name \"A\"", ""},
    {"metric_name_not_set", "{a=\"ok\"} 1\n"sv, "1:1: expected a metric name, found \"{\"",
     "1:1: metric name not set (write name{labels} or {\"name\",labels})", ""},
    {"leading_comma", "a{,b=\"c\"} 1\n"sv, "1:3: expected a label name, found \",\"",
     "1:3: expected a label name, found \",\"", ""},
    {"double_comma", "a{b=\"c\",,d=\"e\"} 1\n"sv, "1:9: expected a label name, found \",\"",
     "1:9: expected a label name, found \",\"", ""},
    {"missing_comma", "a{b=\"c\"d=\"e\"} 1\n"sv,
     "1:8: expected ',' or '}' after label value, found \"d\"", "",
     "1:8: missing ',' between labels"},
    {"trailing_comma", "a{b=\"c\",} 1\n"sv, "", "", ""},
    {"spaces_in_label_set",
     "go_gc_duration_seconds { quantile = \"1.0\", a = \"b\" } 8.3835e-05\n"sv, "", "", ""},
    {"spaces_missing_comma",
     "# TYPE go_gc_duration_seconds summary\ngo_gc_duration_seconds { quantile = \"2.0\" a = \"b\" } 8.3835e-05\n"sv,
     "2:43: expected ',' or '}' after label value, found \"a\"", "",
     "2:43: missing ',' between labels"},
    {"tab_before_value", "some:aggregate:rate5m{a_b=\"c\"}\t1\n"sv, "", "", ""},
    {"blanks_and_tab_before_timestamp", "go_goroutines 33  \t123123\n"sv, "", "", ""},
    {"help_without_text", "# HELP nohelp1\n"sv, "", "", ""},
    {"type_without_type", "# TYPE m\n"sv, "",
     "1:9: invalid metric type \"\" (expected counter, gauge, histogram, summary or untyped)", ""},
    {"two_spaces_before_type_keyword", "#  TYPE c counter\nc 1\n"sv, "", "", ""},
    {"space_tab_before_type_keyword",
     "# \tTYPE go_gc_duration_seconds summary\ngo_gc_duration_seconds{quantile=\"0\"} 1\n"sv, "",
     "", ""},
    {"type_with_trailing_space", "# TYPE c counter \n"sv, "1:10: unknown metric type \"counter \"",
     "1:10: invalid metric type \"counter \" (expected counter, gauge, histogram, summary or "
     "untyped)",
     ""},
    {"type_after_two_spaces", "# TYPE c  counter\n"sv, "",
     "1:10: invalid metric type \" counter\" (expected counter, gauge, histogram, summary or "
     "untyped)",
     ""},
    {"unknown_type", "# TYPE metric bla\n"sv, "1:15: unknown metric type \"bla\"",
     "1:15: invalid metric type \"bla\" (expected counter, gauge, histogram, summary or untyped)",
     ""},
    {"untyped_type", "# TYPE u untyped\nu 1\n"sv, "", "", ""},
    {"type_hash_as_name", "# TYPE #\n"sv, "1:8: expected a metric name after TYPE",
     "1:8: expected a metric name after TYPE", ""},
    {"help_hash_as_name", "# HELP #\n"sv, "1:8: expected a metric name after HELP",
     "1:8: expected a metric name after HELP", ""},
    {"comment_like_help", "# Hrandom comment\n"sv, "", "", ""},
    {"comment_with_escaped_newline", "# comment with escaped \\n newline\n"sv, "", "", ""},
    {"name_starting_with_underscore", "_metric_starting_with_underscore 1\n"sv, "", "", ""},
    {"name_with_colons", "some:aggregate:rate5m 1\n"sv, "", "", ""},
    {"name_starting_with_at", "@invalidmetric{label=\"bla\"} 3.14 2\n"sv,
     "1:1: expected a metric name, found \"@\"", "1:1: expected a metric name, found \"@\"", ""},
    {"name_is_digit", "9\n"sv, "1:1: expected a metric name, found \"9\"",
     "1:1: expected a metric name, found \"9\"", ""},
    {"nul_in_label_value",
     "null_byte_metric{a=\"abc\x00"
     "\"} 1\n"sv,
     "", "", ""},
    {"nul_before_label_value",
     "a{b=\x00"
     "\"ssss\"} 1\n"sv,
     "1:5: expected '\"' to start the value of label \"b\"",
     "1:5: expected '\"' to start the value of label \"b\"", ""},
    {"nul_in_metric_name",
     "a\x00"
     "{b=\"ddd\"} 1\n"sv,
     "1:2: expected a float as value, got \"\\x00{b=\\\"ddd\\\"}\" (Go float syntax: 1, -2.5e3, "
     "NaN, +Inf)",
     "1:2: expected a float as value, got \"\\x00\" (Go float syntax: 1, -2.5e3, NaN, +Inf)", ""},
    {"nul_in_help",
     "# HELP metric foo\x00"
     "bar\n"sv,
     "", "", ""},
    {"invalid_utf8_label_name",
     "a{\xff"
     "=\"foo\"} 1\n"sv,
     "1:3: expected a label name, found \"\\xff\"", "1:3: expected a label name, found \"\\xff\"",
     ""},
    {"invalid_utf8_label_value",
     "a{b=\"\xff"
     "\"} 1\n"sv,
     "1:5: label value of \"b\" is not valid UTF-8", "1:5: label value of \"b\" is not valid UTF-8",
     ""},
    {"invalid_utf8_help",
     "# HELP a \xff"
     "\n"sv,
     "", "1:10: HELP text is not valid UTF-8", ""},
    {"utf8_quoted_names",
     "{\"Heiz\xc3"
     "\xb6"
     "lr\xc3"
     "\xbc"
     "cksto\xc3"
     "\x9f"
     "abd\xc3"
     "\xa4"
     "mpfung 10\xe2"
     "\x82"
     "\xac"
     " metric with \\\"interesting\\\" {character\\nchoices}\",\"strange\xc2"
     "\xa9"
     "\xe2"
     "\x84"
     "\xa2"
     "\\n'quoted' \\\"name\\\"\"=\"6\"} 10.0\n"sv,
     "1:1: expected a metric name, found \"{\"", "", ""},
    {"two_quoted_metric_names", "{\"one.name\",\"another.name\"} 3.14\n"sv,
     "1:1: expected a metric name, found \"{\"", "1:13: metric name given twice", ""},
    {"quoted_name_then_dot", "{\"metric.name\".label=\"bla\"} 3.14\n"sv,
     "1:1: expected a metric name, found \"{\"",
     "1:15: expected '=' after label name \"metric.name\"", ""},
    {"value_true", "a true\n"sv,
     "1:3: expected a float as value, got \"true\" (Go float syntax: 1, -2.5e3, NaN, +Inf)",
     "1:3: expected a float as value, got \"true\" (Go float syntax: 1, -2.5e3, NaN, +Inf)", ""},
    {"value_underscore", "foo 1_2\n"sv,
     "1:5: expected a float as value, got \"1_2\" (Go float syntax: 1, -2.5e3, NaN, +Inf)",
     "1:5: expected a float as value, got \"1_2\" (Go float syntax: 1, -2.5e3, NaN, +Inf)", ""},
    {"value_hex_float", "foo 0x1p-3\n"sv,
     "1:5: expected a float as value, got \"0x1p-3\" (Go float syntax: 1, -2.5e3, NaN, +Inf)",
     "1:5: expected a float as value, got \"0x1p-3\" (Go float syntax: 1, -2.5e3, NaN, +Inf)", ""},
    {"value_hex_float_upper", "foo 0x1P-3\n"sv,
     "1:5: expected a float as value, got \"0x1P-3\" (Go float syntax: 1, -2.5e3, NaN, +Inf)",
     "1:5: expected a float as value, got \"0x1P-3\" (Go float syntax: 1, -2.5e3, NaN, +Inf)", ""},
    {"value_0B1", "foo 0B1\n"sv,
     "1:5: expected a float as value, got \"0B1\" (Go float syntax: 1, -2.5e3, NaN, +Inf)",
     "1:5: expected a float as value, got \"0B1\" (Go float syntax: 1, -2.5e3, NaN, +Inf)", ""},
    {"value_0O1", "foo 0O1\n"sv,
     "1:5: expected a float as value, got \"0O1\" (Go float syntax: 1, -2.5e3, NaN, +Inf)",
     "1:5: expected a float as value, got \"0O1\" (Go float syntax: 1, -2.5e3, NaN, +Inf)", ""},
    {"value_0X1", "foo 0X1\n"sv,
     "1:5: expected a float as value, got \"0X1\" (Go float syntax: 1, -2.5e3, NaN, +Inf)",
     "1:5: expected a float as value, got \"0X1\" (Go float syntax: 1, -2.5e3, NaN, +Inf)", ""},
    {"value_0b1", "foo 0b1\n"sv,
     "1:5: expected a float as value, got \"0b1\" (Go float syntax: 1, -2.5e3, NaN, +Inf)",
     "1:5: expected a float as value, got \"0b1\" (Go float syntax: 1, -2.5e3, NaN, +Inf)", ""},
    {"value_0o1", "foo 0o1\n"sv,
     "1:5: expected a float as value, got \"0o1\" (Go float syntax: 1, -2.5e3, NaN, +Inf)",
     "1:5: expected a float as value, got \"0o1\" (Go float syntax: 1, -2.5e3, NaN, +Inf)", ""},
    {"timestamp_underscore", "foo 0 1_2\n"sv, "1:7: expected integer as timestamp, got \"1_2\"",
     "1:8: expected next entry after timestamp, found \"_\"", ""},
    {"spurious_after_timestamp", "a 1 2 3\n"sv, "1:7: spurious string after timestamp: \" 3\"",
     "1:7: expected next entry after timestamp, found \"3\"", ""},
    {"timestamp_1z", "a 1 1z\n"sv, "1:5: expected integer as timestamp, got \"1z\"",
     "1:6: expected next entry after timestamp, found \"z\"", ""},
    {"timestamp_1_1_1", "a 1 1.1.1\n"sv, "1:5: expected integer as timestamp, got \"1.1.1\"",
     "1:6: expected next entry after timestamp, found \".\"", ""},
    {"value_nan_lower", "nansum{quantile=\"0.95\"} nan\n"sv, "", "", ""},
    {"value_NaN", "nansum{quantile=\"0.95\"} NaN\n"sv, "", "", ""},
    {"value_Nan_prometheus_cpp", "a Nan\n"sv, "", "", ""},
    {"value_Infinity", "foo Infinity\n"sv, "", "", ""},
    {"value_plus_Infinity", "foo +Infinity\n"sv, "", "", ""},
    {"value_minus_infinity", "foo -infinity\n"sv, "", "", ""},
    {"value_plus_inf", "foo +inf\n"sv, "", "", ""},
    {"value_minus_INF", "foo -INF\n"sv, "", "", ""},
    {"value_INF", "foo INF\n"sv, "", "", ""},
    {"value_leading_zeros", "a 0000000000000000000000000000000000000000001.2e-1\n"sv, "", "", ""},
    {"value_above_int64", "a_total 9223372036854775808\n"sv, "", "", ""},
    {"timestamp_above_2_31", "aaa 1123 429496729600\n"sv, "", "", ""},
    {"timestamp_overflow", "test_metric3{foo=\"bar\"} 4.2 92233720368547758080000\n"sv,
     "1:29: expected integer as timestamp, got \"92233720368547758080000\"",
     "1:29: timestamp \"92233720368547758080000\" is out of range", ""},
    {"envoy_empty_braces", "# TYPE envoy_c counter\nenvoy_c{} 3\n"sv, "", "", ""},
    {"envoy_sum_32_digits",
     "# TYPE h histogram\nh_sum{} 5531.1160155998386471765115857124\nh_count{} 7\n"sv, "", "", ""},
    {"escaped_quotes", "testmetric{label=\"\\\"bar\\\"\"} 1\n"sv, "", "", ""},
    {"escaped_quote_and_backslash", "foo{bar=\"b\\\"a\\\\z\"} -1.2\n"sv, "", "", ""},
    {"unknown_escape_tab", "metric{label=\"\\t\"} 3.14\n"sv,
     "1:15: invalid escape sequence '\\t' in label value (only \\\\, \\\" and \\n are allowed)", "",
     "1:15: unknown escape sequence '\\t' in label value kept as written"},
    {"raw_backslash_real_world",
     "mssql_login_count{loginname=\"domain\\somelogin\",env=\"develop\"} 56\n"sv,
     "1:36: invalid escape sequence '\\s' in label value (only \\\\, \\\" and \\n are allowed)", "",
     "1:36: unknown escape sequence '\\s' in label value kept as written"},
    {"hash_in_label_value", "foo{bar=\"#1 az\"} 24\n"sv, "", "", ""},
    {"brace_and_hash_in_label_value", "a_total{foo=\"} foo # bar # \"} 1\n"sv, "", "", ""},
    {"curly_braces_in_label_value", "a_total{foo=\"bar\",bar=\"b{a}z\"} 1\n"sv, "", "", ""},
    {"le_plus_Inf", "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 1\n"sv, "", "", ""},
    {"le_plus_INF_text", "# TYPE h histogram\nh_bucket{le=\"+INF\"} 1\n"sv, "", "", ""},
    {"empty_label_value", "a{aa=\"\"} 1\n"sv, "", "", ""},
    {"help_escapes", "# HELP a help with \\\\ and \\n ok\n# TYPE a gauge\na 1\n"sv, "", "", ""},
    {"help_unknown_escape", "# HELP a bad \\q escape\n"sv,
     "1:14: invalid escape sequence '\\q' in HELP text (only \\\\ and \\n are allowed)", "", ""},
    {"second_type", "# TYPE metric counter\n# TYPE metric untyped\n"sv,
     "2:15: second TYPE line for metric name \"metric\", or TYPE reported after samples", "",
     "2:15: second TYPE line for metric family \"metric\" ignored (it was declared counter)"},
    {"type_after_samples", "metric 4.12\n# TYPE metric counter\n"sv,
     "2:15: second TYPE line for metric name \"metric\", or TYPE reported after samples", "",
     "2:15: TYPE line after samples of metric family \"metric\" ignored"},
    {"second_help", "# HELP metric one\n# HELP metric two\n"sv,
     "2:15: second HELP line for metric name \"metric\"", "",
     "2:15: second HELP line for metric family \"metric\" ignored"},
    {"non_contiguous_family",
     "# TYPE a counter\na 1\n# TYPE b gauge\nb 1\n# TYPE a counter\na{x=\"1\"} 2\n"sv,
     "5:10: second TYPE line for metric name \"a\", or TYPE reported after samples", "", ""},
    {"family_switch_without_metadata",
     "# TYPE go_goroutines gauge\ngo_goroutines 33\ndifferent_metric_total 12\n"sv, "", "", ""},
    {"duplicate_series", "a{x=\"1\"} 1\na{x=\"1\"} 2\n"sv, "", "", ""},
    {"duplicate_label_name", "metric{label=\"bla\",label=\"bla\"} 3.14\n"sv,
     "1:20: duplicate label name \"label\"", "1:20: duplicate label name \"label\"", ""},
    {"hist_out_of_order_le",
     "# TYPE h histogram\nh_bucket{le=\"2\"} 1\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 1\nh_count 1\nh_sum 1\n"sv,
     "", "", ""},
    {"hist_not_cumulative",
     "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"2\"} 1\nh_bucket{le=\"+Inf\"} 0\nh_count 0\nh_sum 1\n"sv,
     "", "", ""},
    {"hist_count_not_inf", "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_count 1\nh_sum 1\n"sv,
     "", "", ""},
    {"hist_count_before_buckets",
     "# TYPE h histogram\nh_count 1\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\n"sv, "", "", ""},
    {"hist_only_sum", "# TYPE h histogram\nh_sum 1\n"sv, "", "", ""},
    {"hist_negative_le_with_sum",
     "# TYPE h histogram\nh_bucket{le=\"-1\"} 1\nh_bucket{le=\"+Inf\"} 1\nh_count 1\nh_sum -1\n"sv,
     "", "", ""},
    {"hist_missing_count", "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\n"sv, "", "", ""},
    {"hist_missing_sum", "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 1\nh_count 1\n"sv, "", "", ""},
    {"hist_nan_sum_and_count",
     "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 1\nh_count NaN\nh_sum NaN\n"sv, "", "", ""},
    {"counter_nan_or_negative", "# TYPE c counter\nc NaN\n# TYPE d counter\nd -1\n"sv, "", "", ""},
    {"hist_noncanonical_le",
     "# TYPE h histogram\nh_bucket{le=\"0\"} 0\nh_bucket{le=\"0.00000000001\"} 0\nh_bucket{le=\"1e-04\"} 0\nh_bucket{le=\"1.1e-4\"} 0\nh_bucket{le=\"+Inf\"} 0\nh_count 0\nh_sum 0\n"sv,
     "", "", ""},
    {"hist_prometheus_cpp_order",
     "# TYPE h histogram\nh_count 2\nh_sum 3\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 2\n"sv,
     "", "", ""},
    {"hist_negative_bucket_count",
     "# TYPE h histogram\nh_bucket{le=\"1\"} -1\nh_bucket{le=\"+Inf\"} 1\nh_count -1\n"sv, "", "",
     "2:18: negative histogram bucket count"},
    {"missing_final_newline", "a 1"sv, "1:4: unexpected end of input: the last line has no newline",
     "", ""},
    {"blank_lines", "\n\na 1\n\n  \n"sv, "", "", ""},
    {"float_timestamp_text", "a 1 1.5\n"sv, "1:5: expected integer as timestamp, got \"1.5\"",
     "1:6: expected next entry after timestamp, found \".\"", ""},
    {"nan_timestamp_text", "a 1 NaN\n"sv, "1:5: expected integer as timestamp, got \"NaN\"",
     "1:5: expected timestamp or new record, found \"N\"", ""},
    {"crlf_line_end", "a 1\r\n"sv,
     "1:3: expected a float as value, got \"1\\r\" (Go float syntax: 1, -2.5e3, NaN, +Inf)",
     "1:3: expected a float as value, got \"1\\r\" (Go float syntax: 1, -2.5e3, NaN, +Inf)", ""},
    {"reserved_name_label", "a{__name__=\"b\"} 1\n"sv, "1:3: label name \"__name__\" is reserved",
     "1:3: label name \"__name__\" is reserved", ""},
    {"le_not_float", "# TYPE h histogram\nh_bucket{le=\"x\"} 1\n"sv,
     "2:10: expected a float as value of the 'le' label, got \"x\"", "",
     "2:10: expected a float as value of the 'le' label, got \"x\"; sample left out of the model"},
    {"quantile_not_float", "# TYPE s summary\ns{quantile=\"x\"} 1\n"sv,
     "2:3: expected a float as value of the 'quantile' label, got \"x\"", "",
     "2:3: expected a float as value of the 'quantile' label, got \"x\"; sample left out of the "
     "model"},
    {"trailing_blank_after_value", "a 1 \n"sv,
     "1:5: expected a timestamp after the value (no trailing whitespace allowed)", "", ""},
    {"negative_timestamp", "a 1 -5\n"sv, "", "1:5: expected timestamp or new record, found \"-\"",
     ""},
};

// OpenMetrics inputs (they end with `# EOF`): strict follows the OpenMetrics spec and its test
// suite, scrape the Prometheus server's OpenMetrics parser.
const Case kOpenMetricsCatalogue[] = {
    {"om_ok",
     "# TYPE c counter\n# HELP c Some help.\n# UNIT c seconds\nc_total 1 1.5\nc_created 1.7e9\n# TYPE h histogram\nh_bucket{le=\"1\"} 0\nh_bucket{le=\"+Inf\"} 1\nh_count 1\nh_sum 0.5\n# EOF\n"sv,
     "", "", ""},
    {"om_no_final_newline", "# TYPE g gauge\ng 1\n# EOF"sv, "", "", ""},
    {"om_data_after_eof", "# TYPE g gauge\ng 1\n# EOF\ng 2\n"sv, "4:1: unexpected data after # EOF",
     "4:1: unexpected data after # EOF", ""},
    {"om_blank_line", "g 1\n\n# EOF\n"sv,
     "2:1: empty line (OpenMetrics does not allow blank lines)",
     "2:1: empty line (OpenMetrics does not allow blank lines)", ""},
    {"om_help_without_text", "# HELP nohelp1\n# EOF\n"sv,
     "1:15: expected text in HELP after the metric name",
     "1:15: expected text in HELP after the metric name", ""},
    {"om_type_without_text", "# TYPE m\n# EOF\n"sv,
     "1:9: expected text in TYPE after the metric name",
     "1:9: expected text in TYPE after the metric name", ""},
    {"om_two_spaces_before_type", "#  TYPE c counter\n# EOF\n"sv,
     "1:1: invalid comment (OpenMetrics allows only # HELP, # TYPE, # UNIT and # EOF)",
     "1:1: invalid comment (OpenMetrics allows only # HELP, # TYPE, # UNIT and # EOF)", ""},
    {"om_type_trailing_space", "# TYPE c counter \n# EOF\n"sv,
     "1:10: invalid metric type \"counter \" (expected counter, gauge, histogram, gaugehistogram, "
     "summary, info, stateset or unknown)",
     "1:10: invalid metric type \"counter \" (expected counter, gauge, histogram, gaugehistogram, "
     "summary, info, stateset or unknown)",
     ""},
    {"om_type_two_spaces", "# TYPE c  counter\n# EOF\n"sv,
     "1:10: invalid metric type \" counter\" (expected counter, gauge, histogram, gaugehistogram, "
     "summary, info, stateset or unknown)",
     "1:10: invalid metric type \" counter\" (expected counter, gauge, histogram, gaugehistogram, "
     "summary, info, stateset or unknown)",
     ""},
    {"om_untyped", "# TYPE u untyped\n# EOF\n"sv,
     "1:10: invalid metric type \"untyped\" (expected counter, gauge, histogram, gaugehistogram, "
     "summary, info, stateset or unknown)",
     "1:10: invalid metric type \"untyped\" (expected counter, gauge, histogram, gaugehistogram, "
     "summary, info, stateset or unknown)",
     ""},
    {"om_plain_comment", "# random comment\n# EOF\n"sv,
     "1:1: invalid comment (OpenMetrics allows only # HELP, # TYPE, # UNIT and # EOF)",
     "1:1: invalid comment (OpenMetrics allows only # HELP, # TYPE, # UNIT and # EOF)", ""},
    {"om_missing_comma_spaces", "# TYPE s summary\ns{quantile=\"2.0\" a=\"b\"} 1\n# EOF\n"sv,
     "2:17: expected ',' or '}' after label value, found \" \"",
     "2:17: expected ',' or '}' after label value, found \" \"", ""},
    {"om_trailing_comma", "a{b=\"c\",} 1\n# EOF\n"sv,
     "1:9: trailing ',' before '}' (OpenMetrics does not allow it)", "", ""},
    {"om_unknown_escape", "a{b=\"b\\\\a\\z\"} 1\n# EOF\n"sv, "", "", ""},
    {"om_float_timestamp", "a 1 1.5\n# EOF\n"sv, "", "", ""},
    {"om_nan_timestamp", "a 1 NaN\n# EOF\n"sv,
     "1:5: invalid timestamp \"NaN\" (float seconds expected)",
     "1:5: invalid timestamp \"NaN\" (float seconds expected)", ""},
    {"om_le_plus_INF", "# TYPE h histogram\nh_bucket{le=\"+INF\"} 1\n# EOF\n"sv,
     "2:10: le=\"+INF\" must be written \"+Inf\" in OpenMetrics", "",
     "2:10: le=\"+INF\" must be written \"+Inf\" in OpenMetrics; sample left out of the model"},
    {"om_bucket_without_le", "# TYPE a histogram\na_bucket 0\n# EOF\n"sv,
     "2:1: histogram bucket without an 'le' label", "",
     "2:1: histogram bucket without an 'le' label (left out of the model)"},
    {"om_quantile_foo", "# TYPE a summary\na{quantile=\"foo\"} 0\n# EOF\n"sv,
     "2:3: expected a float as value of the 'quantile' label, got \"foo\"", "",
     "2:3: expected a float as value of the 'quantile' label, got \"foo\"; sample left out of the "
     "model"},
    {"om_quantile_negative", "# TYPE a summary\na{quantile=\"-1\"} 0\n# EOF\n"sv,
     "2:3: quantile=\"-1\" is not between 0 and 1", "",
     "2:3: quantile=\"-1\" is not between 0 and 1; sample left out of the model"},
    {"om_quantile_above_one", "# TYPE a summary\na{quantile=\"1.01\"} 0\n# EOF\n"sv,
     "2:3: quantile=\"1.01\" is not between 0 and 1", "",
     "2:3: quantile=\"1.01\" is not between 0 and 1; sample left out of the model"},
    {"om_quantile_nan", "# TYPE a summary\na{quantile=\"NaN\"} 0\n# EOF\n"sv,
     "2:3: quantile=\"NaN\" is not between 0 and 1", "",
     "2:3: quantile=\"NaN\" is not between 0 and 1; sample left out of the model"},
    {"om_second_type", "# TYPE a gauge\n# TYPE a gauge\n# EOF\n"sv,
     "2:1: second TYPE line for metric family \"a\"", "",
     "2:1: second TYPE line for metric family \"a\" ignored"},
    {"om_metadata_after_samples", "# TYPE a gauge\na 1\n# HELP a late\n# EOF\n"sv,
     "3:1: HELP line after the samples for metric family \"a\"", "",
     "3:1: HELP line after the samples for metric family \"a\" ignored"},
    {"om_interleaved_families", "# TYPE a gauge\na 1\n# TYPE b gauge\nb 1\na{x=\"1\"} 2\n# EOF\n"sv,
     "5:1: metric family \"a\" is interleaved with another family (OpenMetrics needs its lines "
     "together)",
     "", ""},
    {"om_value_underscore", "a 1_2\n# EOF\n"sv,
     "1:3: expected a float as value, got \"1_2\" (Go float syntax: 1, -2.5e3, NaN, +Inf)",
     "1:3: expected a float as value, got \"1_2\" (Go float syntax: 1, -2.5e3, NaN, +Inf)", ""},
    {"om_value_0x1", "a 0x1\n# EOF\n"sv,
     "1:3: expected a float as value, got \"0x1\" (Go float syntax: 1, -2.5e3, NaN, +Inf)",
     "1:3: expected a float as value, got \"0x1\" (Go float syntax: 1, -2.5e3, NaN, +Inf)", ""},
    {"om_value_0b1", "a 0b1\n# EOF\n"sv,
     "1:3: expected a float as value, got \"0b1\" (Go float syntax: 1, -2.5e3, NaN, +Inf)",
     "1:3: expected a float as value, got \"0b1\" (Go float syntax: 1, -2.5e3, NaN, +Inf)", ""},
    {"om_exemplar_unquoted",
     "# TYPE custom_metric counter\ncustom_metric_total 1 # {aa=bb}\n# EOF\n"sv,
     "2:29: expected '\"' to start the value of label \"aa\"",
     "2:29: expected '\"' to start the value of label \"aa\"", ""},
    {"om_exemplar_without_value",
     "# TYPE custom_metric counter\ncustom_metric_total 1 # {aa=\"bb\"}\n# EOF\n"sv,
     "2:34: expected a space and the exemplar value",
     "2:34: expected a space and the exemplar value", ""},
    {"om_exemplar_name_only",
     "# TYPE custom_metric counter\ncustom_metric_total 1 # {bb}\n# EOF\n"sv,
     "2:28: expected '=' after label name \"bb\"", "2:28: expected '=' after label name \"bb\"",
     ""},
    {"om_exemplar_double_comma",
     "# TYPE custom_metric counter\ncustom_metric_total 1 # {aa=\"bb\",,cc=\"dd\"} 1\n# EOF\n"sv,
     "2:34: expected a label name, found \",\"", "2:34: expected a label name, found \",\"", ""},
    {"om_exemplar_value_1_2", "# TYPE c counter\nc_total 1 # {id=\"x\"} 1_2\n# EOF\n"sv,
     "2:22: expected a float as exemplar value, got \"1_2\"",
     "2:22: expected a float as exemplar value, got \"1_2\"", ""},
    {"om_exemplar_value_hex", "# TYPE c counter\nc_total 1 # {id=\"x\"} 0x1p-3\n# EOF\n"sv,
     "2:22: expected a float as exemplar value, got \"0x1p-3\"",
     "2:22: expected a float as exemplar value, got \"0x1p-3\"", ""},
    {"om_exemplar_value_true", "# TYPE c counter\nc_total 1 # {id=\"x\"} true\n# EOF\n"sv,
     "2:22: expected a float as exemplar value, got \"true\"",
     "2:22: expected a float as exemplar value, got \"true\"", ""},
    {"om_exemplar_timestamp_nan", "# TYPE c counter\nc_total 1 # {id=\"x\"} 1 NaN\n# EOF\n"sv,
     "2:24: invalid exemplar timestamp \"NaN\"", "2:24: invalid exemplar timestamp \"NaN\"", ""},
    {"om_exemplar_timestamp_inf", "# TYPE c counter\nc_total 1 # {id=\"x\"} 1 +Inf\n# EOF\n"sv,
     "2:24: invalid exemplar timestamp \"+Inf\"", "2:24: invalid exemplar timestamp \"+Inf\"", ""},
    {"om_exemplar_timestamp_minus_inf",
     "# TYPE c counter\nc_total 1 # {id=\"x\"} 1 -Inf\n# EOF\n"sv,
     "2:24: invalid exemplar timestamp \"-Inf\"", "2:24: invalid exemplar timestamp \"-Inf\"", ""},
    {"om_exemplar_on_gauge", "# TYPE g gauge\ng 1 # {id=\"x\"} 1\n# EOF\n"sv,
     "2:5: exemplars are only allowed on counter _total and histogram _bucket samples",
     "2:5: exemplars are only allowed on counter _total and histogram _bucket samples", ""},
    {"om_exemplar_on_info", "# TYPE i info\ni_info{a=\"b\"} 1 # {id=\"x\"} 1\n# EOF\n"sv,
     "2:17: exemplars are only allowed on counter _total and histogram _bucket samples",
     "2:17: exemplars are only allowed on counter _total and histogram _bucket samples", ""},
    {"om_exemplar_on_stateset", "# TYPE s stateset\ns{s=\"a\"} 1 # {id=\"x\"} 1\n# EOF\n"sv,
     "2:12: exemplars are only allowed on counter _total and histogram _bucket samples",
     "2:12: exemplars are only allowed on counter _total and histogram _bucket samples", ""},
    {"om_exemplar_ok", "# TYPE c counter\nc_total 1 # {id=\"x\"} 4 123.123\n# EOF\n"sv, "", "", ""},
    {"om_exemplar_on_bucket",
     "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 1 # {id=\"x\"} 0.5\nh_count 1\nh_sum 0.5\n# EOF\n"sv,
     "", "", ""},
};

struct Outcome {
  std::string error;    // first error as "line:column: message", "" if none
  std::string warning;  // first warning, "" if none
  std::size_t errors = 0;
};

Outcome Run(std::string_view input, Mode mode) {
  ParseOptions options;
  options.mode = mode;
  const ParseResult result = Parse(input, options);
  Outcome out;
  for (const Diagnostic& d : result.diagnostics) {
    const std::string located = d.Format("").substr(1);  // drop the leading ':'
    if (d.error) {
      ++out.errors;
      if (out.error.empty())
        out.error = located;
    } else if (out.warning.empty()) {
      out.warning = located;
    }
  }
  EXPECT_EQ(result.ok(), out.errors == 0);
  return out;
}

void CheckCase(const Case& c, Format want_format) {
  SCOPED_TRACE(c.name);
  const Outcome strict = Run(c.input, Mode::kStrict);
  EXPECT_EQ(strict.error, c.strict_error);
  EXPECT_LE(strict.errors, 1u) << "strict mode stops at the first error";
  const Outcome scrape = Run(c.input, Mode::kScrape);
  EXPECT_EQ(scrape.error, c.scrape_error);
  EXPECT_EQ(scrape.warning, c.scrape_warning);
  EXPECT_EQ(Parse(c.input).format, want_format);
}

TEST(ParseCatalogue, TextFormat) {
  for (const Case& c : kCatalogue)
    CheckCase(c, Format::kText);
}

TEST(ParseCatalogue, OpenMetrics) {
  for (const Case& c : kOpenMetricsCatalogue)
    CheckCase(c, Format::kOpenMetrics);
}

}  // namespace
}  // namespace hfi::prom

package function

import (
	"math"

	"github.com/quarrydb/quarry/types"
)

// New returns the registry of every built-in function and operator, one line each.
// Aliases (the Trino/Athena or PostgreSQL spelling of the same function) follow the entry.
func New() *Registry {
	r := &Registry{byName: make(map[string]*Func)}

	// Operators (arith.go, compare.go, like.go, variadic.go, logic.go).
	r.add(op("+", bindPlus, "addition; unary plus", "numeric + numeric", "date + integer → date", "date|timestamp + interval → timestamp", "timestamptz + interval → timestamptz", "date + time → timestamp", "time + interval → time", "interval + interval"))
	r.add(op("-", bindMinus, "subtraction; unary minus", "numeric - numeric", "date - integer → date", "date - date → integer", "timestamp - interval → timestamp", "timestamp - timestamp → interval", "time - time → interval", "interval - interval", "- numeric|interval"))
	r.add(op("neg", bindNeg, "unary minus (the planner's name for prefix -)", "neg(numeric|interval)"))
	r.add(op("*", bindArith(opMul), "multiplication", "numeric * numeric", "interval * double precision", "double precision * interval"))
	r.add(op("/", bindArith(opDiv), "division (integer division truncates)", "numeric / numeric", "interval / double precision"))
	r.add(op("%", bindArith(opMod), "remainder (sign of the dividend)", "numeric % numeric"))
	r.add(op("=", bindCompare(cmpEq), "equal", "T = T"))
	r.add(op("<>", bindCompare(cmpNe), "not equal", "T <> T"), "!=")
	r.add(op("<", bindCompare(cmpLt), "less than", "T < T"))
	r.add(op("<=", bindCompare(cmpLe), "less than or equal", "T <= T"))
	r.add(op(">", bindCompare(cmpGt), "greater than", "T > T"))
	r.add(op(">=", bindCompare(cmpGe), "greater than or equal", "T >= T"))
	r.add(op("||", bindConcatOp, "concatenation; a non-text operand is cast to text", "text || any → text", "any || text → text", "bytea || bytea → bytea"))
	r.add(op("~~", bindLike(false, false), "LIKE", "text ~~ text → boolean"))
	r.add(op("!~~", bindLike(true, false), "NOT LIKE", "text !~~ text → boolean"))
	r.add(op("~~*", bindLike(false, true), "ILIKE (case-insensitive LIKE)", "text ~~* text → boolean"))
	r.add(op("!~~*", bindLike(true, true), "NOT ILIKE", "text !~~* text → boolean"))
	r.add(fn("and", bindLogic(true), "three-valued AND of two or more booleans", "and(boolean, boolean, ...) → boolean"))
	r.add(fn("or", bindLogic(false), "three-valued OR of two or more booleans", "or(boolean, boolean, ...) → boolean"))
	r.add(fn("not", bindNot, "logical negation", "not(boolean) → boolean"))

	// Mathematical functions (math.go, variadic.go).
	r.add(fn("abs", bindAbsSign(false), "absolute value", "abs(numeric) → same type"))
	r.add(fn("ceil", bindRounding(rmCeil), "nearest integer greater than or equal", "ceil(numeric) → same type (numeric scale 0)"), "ceiling")
	r.add(fn("floor", bindRounding(rmFloor), "nearest integer less than or equal", "floor(numeric) → same type (numeric scale 0)"))
	r.add(fn("round", bindRounding(rmRound), "round half away from zero (double: half to even, as rint)", "round(numeric) → same type", "round(numeric, integer) → same type"))
	r.add(fn("trunc", bindRounding(rmTrunc), "truncate toward zero", "trunc(numeric) → same type", "trunc(numeric, integer) → same type"), "truncate")
	r.add(fn("sqrt", bindNumericFn(numSqrt, bindFloatFn(1, fnSqrt)), "square root (numeric: at least 16 significant digits)", "sqrt(double precision) → double precision", "sqrt(numeric) → numeric"))
	r.add(fn("cbrt", bindFloatFn(1, fnCbrt), "cube root", "cbrt(double precision) → double precision"))
	r.add(fn("power", bindFloatFn(2, fnPower), "a raised to the power b", "power(double precision, double precision) → double precision"), "pow")
	r.add(fn("exp", bindNumericFn(numExp, bindFloatFn(1, fnExp)), "exponential (numeric: at least 16 significant digits)", "exp(double precision) → double precision", "exp(numeric) → numeric"))
	r.add(fn("ln", bindNumericFn(numLn, bindFloatFn(1, fnLn)), "natural logarithm (numeric: at least 16 significant digits)", "ln(double precision) → double precision", "ln(numeric) → numeric"))
	r.add(fn("log", bindLog, "base-10 logarithm, or log(b, x) to base b", "log(double precision) → double precision", "log(b double precision, x double precision) → double precision"))
	r.add(fn("log10", bindFloatFn(1, fnLog10), "base-10 logarithm", "log10(double precision) → double precision"))
	r.add(fn("log2", bindFloatFn(1, fnLog2), "base-2 logarithm", "log2(double precision) → double precision"))
	r.add(fn("mod", bindMod, "remainder, as %", "mod(numeric, numeric) → numeric"))
	r.add(fn("sign", bindAbsSign(true), "-1, 0 or 1", "sign(numeric) → same type"))
	r.add(fn("pi", bindPi, "π", "pi() → double precision"))
	r.add(&Func{Name: "random", Kind: ScalarKind, Volatility: Volatile, Bind: bindRandom, Doc: "uniform random value in [0, 1)", Signatures: []string{"random() → double precision"}}, "rand")
	r.add(fn("degrees", bindFloatFn(1, plain(fnDegrees)), "radians to degrees", "degrees(double precision) → double precision"))
	r.add(fn("radians", bindFloatFn(1, plain(fnRadians)), "degrees to radians", "radians(double precision) → double precision"))
	r.add(fn("sin", bindFloatFn(1, finiteArg(math.Sin)), "sine", "sin(double precision) → double precision"))
	r.add(fn("cos", bindFloatFn(1, finiteArg(math.Cos)), "cosine", "cos(double precision) → double precision"))
	r.add(fn("tan", bindFloatFn(1, finiteArg(math.Tan)), "tangent", "tan(double precision) → double precision"))
	r.add(fn("cot", bindFloatFn(1, finiteArg(fnCot)), "cotangent", "cot(double precision) → double precision"))
	r.add(fn("asin", bindFloatFn(1, unitArg(math.Asin)), "inverse sine", "asin(double precision) → double precision"))
	r.add(fn("acos", bindFloatFn(1, unitArg(math.Acos)), "inverse cosine", "acos(double precision) → double precision"))
	r.add(fn("atan", bindFloatFn(1, plain(math.Atan)), "inverse tangent", "atan(double precision) → double precision"))
	r.add(fn("atan2", bindFloatFn(2, fnAtan2), "inverse tangent of y/x", "atan2(y double precision, x double precision) → double precision"))
	r.add(fn("sinh", bindFloatFn(1, plain(math.Sinh)), "hyperbolic sine", "sinh(double precision) → double precision"))
	r.add(fn("cosh", bindFloatFn(1, plain(math.Cosh)), "hyperbolic cosine", "cosh(double precision) → double precision"))
	r.add(fn("tanh", bindFloatFn(1, plain(math.Tanh)), "hyperbolic tangent", "tanh(double precision) → double precision"))
	r.add(fn("asinh", bindFloatFn(1, plain(math.Asinh)), "inverse hyperbolic sine", "asinh(double precision) → double precision"))
	r.add(fn("acosh", bindFloatFn(1, fnAcosh), "inverse hyperbolic cosine", "acosh(double precision) → double precision"))
	r.add(fn("atanh", bindFloatFn(1, fnAtanh), "inverse hyperbolic tangent", "atanh(double precision) → double precision"))
	r.add(fn("e", bindConst(math.E), "Euler's number (Trino)", "e() → double precision"))
	r.add(fn("infinity", bindConst(math.Inf(1)), "positive infinity (Trino)", "infinity() → double precision"))
	r.add(fn("nan", bindConst(math.NaN()), "not a number (Trino)", "nan() → double precision"))
	r.add(fn("is_nan", bindFloatClass(isNaN), "whether x is NaN (Trino)", "is_nan(double precision) → boolean"))
	r.add(fn("is_finite", bindFloatClass(isFinite), "whether x is neither infinite nor NaN (Trino)", "is_finite(double precision) → boolean"))
	r.add(fn("is_infinite", bindFloatClass(isInfinite), "whether x is infinite (Trino)", "is_infinite(double precision) → boolean"))
	r.add(fn("width_bucket", bindWidthBucket, "bucket of operand among count equal-width buckets over [low, high)", "width_bucket(operand, low, high double precision, count integer) → integer"))
	r.add(fn("div", bindDiv, "quotient truncated toward zero", "div(integer types) → same type", "div(numeric, numeric) → numeric"))
	r.add(fn("greatest", bindGreatest(true), "largest non-NULL argument", "greatest(T, ...) → T"))
	r.add(fn("least", bindGreatest(false), "smallest non-NULL argument", "least(T, ...) → T"))

	// String functions (string.go, variadic.go).
	r.add(fn("lower", bindStr("t", types.VarcharT, caseKernel(false)), "lower case", "lower(text) → text"))
	r.add(fn("upper", bindStr("t", types.VarcharT, caseKernel(true)), "upper case", "upper(text) → text"))
	r.add(fn("length", bindLength(false), "number of characters (bytes for bytea)", "length(text) → integer", "length(bytea) → integer"), "char_length", "character_length")
	r.add(fn("octet_length", bindLength(true), "number of bytes", "octet_length(text|bytea) → integer"))
	r.add(fn("substr", bindStrOpt("tii", types.VarcharT, substrKernel), "characters from a 1-based start, optionally count of them", "substr(text, start integer) → text", "substr(text, start integer, count integer) → text"), "substring")
	r.add(fn("strpos", bindStr("tt", types.Int32T, strposKernel), "1-based character position of sub in s, 0 if absent", "strpos(s text, sub text) → integer"), "position")
	r.add(fn("concat", bindConcat, "concatenation of the non-NULL arguments as text", "concat(any, ...) → text"))
	r.add(fn("concat_ws", bindConcatWS, "non-NULL arguments joined by a separator", "concat_ws(sep text, any, ...) → text"))
	r.add(fn("replace", bindStr("ttt", types.VarcharT, func(int) Kernel { return replaceKernel(3) }), "replace every occurrence of from by to", "replace(s text, from text, to text) → text"))
	r.add(fn("btrim", bindStrOpt("tt", types.VarcharT, trimKernel(true, true)), "remove characters (default spaces) from both ends", "btrim(text[, chars text]) → text"), "trim")
	r.add(fn("ltrim", bindStrOpt("tt", types.VarcharT, trimKernel(true, false)), "remove characters (default spaces) from the start", "ltrim(text[, chars text]) → text"))
	r.add(fn("rtrim", bindStrOpt("tt", types.VarcharT, trimKernel(false, true)), "remove characters (default spaces) from the end", "rtrim(text[, chars text]) → text"))
	r.add(fn("lpad", bindStrOpt("tit", types.VarcharT, padKernel(true)), "fill on the left (default spaces) or cut to a length", "lpad(text, length integer[, fill text]) → text"))
	r.add(fn("rpad", bindStrOpt("tit", types.VarcharT, padKernel(false)), "fill on the right (default spaces) or cut to a length", "rpad(text, length integer[, fill text]) → text"))
	r.add(fn("reverse", bindStr("t", types.VarcharT, reverseKernel), "characters in reverse order", "reverse(text) → text"))
	r.add(fn("starts_with", bindStr("tt", types.BoolT, startsWithKernel), "whether s starts with prefix", "starts_with(s text, prefix text) → boolean"))
	r.add(fn("left", bindStr("ti", types.VarcharT, leftRightKernel(true)), "first n characters (all but the last -n when negative)", "left(text, n integer) → text"))
	r.add(fn("right", bindStr("ti", types.VarcharT, leftRightKernel(false)), "last n characters (all but the first -n when negative)", "right(text, n integer) → text"))
	r.add(fn("repeat", bindStr("ti", types.VarcharT, repeatKernel), "the string repeated n times", "repeat(text, n integer) → text"))
	r.add(fn("split_part", bindStr("tti", types.VarcharT, splitPartKernel), "n-th field split by a delimiter (negative n counts from the end)", "split_part(s text, delim text, n integer) → text"))
	r.add(fn("initcap", bindStr("t", types.VarcharT, initcapKernel), "first letter of each word upper case, the rest lower", "initcap(text) → text"))
	r.add(fn("md5", bindStr("t", types.VarcharT, md5Kernel), "MD5 digest as 32 hex digits", "md5(text) → text"))
	r.add(fn("chr", bindStr("i", types.VarcharT, chrKernel), "the character with a code point", "chr(integer) → text"))
	r.add(fn("ascii", bindStr("t", types.Int32T, asciiKernel), "code point of the first character", "ascii(text) → integer"))
	r.add(fn("split", bindRegexN(bindRegex("tt", textArrayT, splitKernel), bindRegex("tti", textArrayT, splitKernel)), "pieces between delimiters; with a limit the last piece holds the rest (Trino)", "split(s text, delim text[, limit bigint]) → text[]"))
	r.add(fn("string_to_array", bindRegexN(bindRegex("tt", textArrayT, stringToArrayKernel), bindRegex("ttt", textArrayT, stringToArrayKernel)), "pieces between delimiters; elements equal to null_string become NULL", "string_to_array(s text, delim text[, null_string text]) → text[]"))
	r.add(fn("translate", bindStr("ttt", types.VarcharT, translateKernel), "replace each character in from by the one at the same position in to (delete if none)", "translate(s text, from text, to text) → text"))
	r.add(fn("to_hex", bindToHex, "hexadecimal digits (integers: lower case, two's complement; bytea: upper case, Trino)", "to_hex(integer|bigint) → text", "to_hex(bytea) → text"))
	r.add(fn("from_hex", bindStr("t", types.ByteaT, fromHexKernel), "bytes from hexadecimal digits (Trino)", "from_hex(text) → bytea"))
	r.add(fn("levenshtein_distance", bindRegex("tt", types.Int64T, levenshteinKernel), "edit distance in characters", "levenshtein_distance(a text, b text) → bigint"), "levenshtein")
	r.add(fn("url_extract_host", bindStr("t", types.VarcharT, urlExtractKernel(urlHost)), "host of a URL, NULL if unparsable (Trino)", "url_extract_host(url text) → text"))
	r.add(fn("url_extract_path", bindStr("t", types.VarcharT, urlExtractKernel(urlPath)), "path of a URL (Trino)", "url_extract_path(url text) → text"))
	r.add(fn("url_extract_protocol", bindStr("t", types.VarcharT, urlExtractKernel(urlProtocol)), "scheme of a URL (Trino)", "url_extract_protocol(url text) → text"))
	r.add(fn("url_extract_query", bindStr("t", types.VarcharT, urlExtractKernel(urlQuery)), "query string of a URL (Trino)", "url_extract_query(url text) → text"))
	r.add(fn("url_extract_fragment", bindStr("t", types.VarcharT, urlExtractKernel(urlFragment)), "fragment of a URL (Trino)", "url_extract_fragment(url text) → text"))
	r.add(fn("url_extract_parameter", bindStr("tt", types.VarcharT, urlExtractKernel(urlParameter)), "first value of a query parameter, NULL if absent (Trino)", "url_extract_parameter(url text, name text) → text"))
	r.add(fn("url_extract_port", bindStr("t", types.Int64T, urlPortKernel), "port of a URL, NULL if none (Trino)", "url_extract_port(url text) → bigint"))

	// Regular expressions (regexp.go, regexp_kernels.go): Trino forms use Java syntax, the
	// operators and the forms with flags PostgreSQL's; both run on RE2.
	r.add(op("~", bindRegex("tt", types.BoolT, regexMatchKernel(reOpts{dialect: rePG}, false)), "matches regular expression (PostgreSQL)", "text ~ text → boolean"))
	r.add(op("~*", bindRegex("tt", types.BoolT, regexMatchKernel(reOpts{dialect: rePG, fold: true}, false)), "matches regular expression, case-insensitive", "text ~* text → boolean"))
	r.add(op("!~", bindRegex("tt", types.BoolT, regexMatchKernel(reOpts{dialect: rePG}, true)), "does not match regular expression", "text !~ text → boolean"))
	r.add(op("!~*", bindRegex("tt", types.BoolT, regexMatchKernel(reOpts{dialect: rePG, fold: true}, true)), "does not match regular expression, case-insensitive", "text !~* text → boolean"))
	r.add(fn("similar_to_escape", bindStrOpt("tt", types.VarcharT, similarKernel), "the POSIX regular expression of a SQL SIMILAR TO pattern (what s SIMILAR TO p runs as s ~ similar_to_escape(p))", "similar_to_escape(pattern text[, escape text]) → text"))
	r.add(fn("regexp_like", bindRegexN(bindRegex("tt", types.BoolT, regexMatchKernel(reOpts{}, false)), bindRegex("ttt", types.BoolT, regexMatchKernel(reOpts{}, false))), "whether the pattern matches anywhere in s (with flags: PostgreSQL syntax)", "regexp_like(s text, pattern text[, flags text]) → boolean"))
	r.add(fn("regexp_extract", bindRegexN(bindRegex("tt", types.VarcharT, regexExtractKernel), bindRegex("tti", types.VarcharT, regexExtractKernel)), "the first match, or its group; NULL without a match (Trino)", "regexp_extract(s text, pattern text[, group bigint]) → text"))
	r.add(fn("regexp_extract_all", bindRegexN(bindRegex("tt", textArrayT, regexExtractAllKernel), bindRegex("tti", textArrayT, regexExtractAllKernel)), "every match, or its group (Trino)", "regexp_extract_all(s text, pattern text[, group bigint]) → text[]"))
	r.add(fn("regexp_replace", bindRegexN(bindRegex("tt", types.VarcharT, regexReplaceKernel), bindRegex("ttt", types.VarcharT, regexReplaceKernel), bindRegex("tttt", types.VarcharT, regexReplaceKernel)),
		"Trino: remove or replace every match ($n, ${name}); with flags, PostgreSQL: the first match, every with 'g' (\\n, \\&)", "regexp_replace(s text, pattern text) → text", "regexp_replace(s text, pattern text, replacement text) → text", "regexp_replace(s text, pattern text, replacement text, flags text) → text"))
	r.add(fn("regexp_count", bindRegex("tt", types.Int64T, regexCountKernel), "number of matches", "regexp_count(s text, pattern text) → bigint"))
	r.add(fn("regexp_split", bindRegex("tt", textArrayT, regexSplitKernel(reTrino)), "pieces between matches (Trino)", "regexp_split(s text, pattern text) → text[]"))
	r.add(fn("regexp_split_to_array", bindRegexN(bindRegex("tt", textArrayT, regexSplitKernel(rePG)), bindRegex("ttt", textArrayT, regexSplitKernel(rePG))), "pieces between matches (PostgreSQL)", "regexp_split_to_array(s text, pattern text[, flags text]) → text[]"))
	r.add(fn("regexp_match", bindRegexN(bindRegex("tt", textArrayT, regexMatchArrayKernel), bindRegex("ttt", textArrayT, regexMatchArrayKernel)), "captured groups of the first match (the whole match without groups), NULL without a match", "regexp_match(s text, pattern text[, flags text]) → text[]"))

	// Date/time functions (datetime.go).
	r.add(fn("date_trunc", bindDateTrunc, "truncate to a unit (microseconds .. millennium, week = Monday)", "date_trunc(unit text, timestamp|date) → timestamp", "date_trunc(unit text, timestamptz) → timestamptz"))
	r.add(fn("date_part", bindDatePart, "a field (year, month, day, hour, minute, second, dow, isodow, doy, week, quarter, epoch, ...); EXTRACT(f FROM x) binds to it", "date_part(field text, date|time|timestamp|timestamptz|interval) → double precision"), "extract")
	r.add(fn("year", bindField("year"), "year field", "year(date|timestamp|timestamptz|interval) → bigint"))
	r.add(fn("quarter", bindField("quarter"), "quarter (1-4)", "quarter(date|timestamp|timestamptz) → bigint"))
	r.add(fn("month", bindField("month"), "month field", "month(date|timestamp|timestamptz|interval) → bigint"))
	r.add(fn("week", bindField("week"), "ISO week of the year", "week(date|timestamp|timestamptz) → bigint"), "week_of_year")
	r.add(fn("day", bindField("day"), "day of the month", "day(date|timestamp|timestamptz|interval) → bigint"), "day_of_month")
	r.add(fn("day_of_week", bindField("isodow"), "ISO day of the week (Monday = 1 .. Sunday = 7)", "day_of_week(date|timestamp|timestamptz) → bigint"), "dow")
	r.add(fn("day_of_year", bindField("doy"), "day of the year (1-366)", "day_of_year(date|timestamp|timestamptz) → bigint"), "doy")
	r.add(fn("hour", bindField("hour"), "hour field", "hour(time|timestamp|timestamptz|interval) → bigint"))
	r.add(fn("minute", bindField("minute"), "minute field", "minute(time|timestamp|timestamptz|interval) → bigint"))
	r.add(fn("second", bindField("second"), "second field (whole seconds)", "second(time|timestamp|timestamptz|interval) → bigint"))
	r.add(fn("millisecond", bindField("millisecond"), "millisecond within the second", "millisecond(time|timestamp|timestamptz|interval) → bigint"))
	r.add(fn("date_add", bindDateAdd, "add n units (Trino)", "date_add(unit text, n bigint, date|timestamp|timestamptz) → same type"))
	r.add(fn("date_diff", bindDateDiff, "whole units from a to b (Trino)", "date_diff(unit text, a, b) → bigint"))
	r.add(stable("now", bindNow(types.TimestampTZT), "start time of the statement", "now() → timestamptz"), "current_timestamp")
	r.add(stable("localtimestamp", bindNow(types.TimestampT), "start time of the statement in the session time zone", "localtimestamp() → timestamp"))
	r.add(stable("current_date", bindNow(types.DateT), "date of the statement's start in the session time zone", "current_date() → date"))
	r.add(fn("to_unixtime", bindToUnixtime, "seconds since 1970-01-01 00:00:00 UTC", "to_unixtime(timestamp|timestamptz) → double precision"))
	r.add(fn("from_unixtime", bindFromUnixtime, "timestamptz from seconds since the epoch", "from_unixtime(double precision) → timestamptz"))
	r.add(stable("to_timestamp", bindToTimestamp, "seconds since the epoch, or text read with a PostgreSQL template, to timestamptz", "to_timestamp(double precision) → timestamptz", "to_timestamp(text, template text) → timestamptz"))
	r.add(fn("to_date", bindToDate, "text read with a PostgreSQL template", "to_date(text, template text) → date"))
	r.add(stable("to_char", bindToChar, "format with a PostgreSQL template (YYYY MM DD HH24 MI SS MS Mon Month Dy Day ...; numbers: 9 0 . , D G S MI PR FM)", "to_char(timestamp|timestamptz|date, template text) → text", "to_char(numeric types, template text) → text"))
	r.add(stable("date_format", bindDateFormat, "format with MySQL specifiers (%Y %m %d %H %i %s %f ...) (Trino)", "date_format(timestamp|timestamptz|date, format text) → text"))
	r.add(fn("date_parse", bindDateParse, "text read with MySQL specifiers (Trino)", "date_parse(text, format text) → timestamp"))
	r.add(stable("from_iso8601_timestamp", bindFromISO8601(types.TimestampTZT), "ISO 8601 text to timestamptz; no zone means the session's (Trino)", "from_iso8601_timestamp(text) → timestamptz"))
	r.add(fn("from_iso8601_date", bindFromISO8601(types.DateT), "ISO 8601 date text to date (Trino)", "from_iso8601_date(text) → date"))
	r.add(stable("to_iso8601", bindToISO8601, "ISO 8601 text (Trino)", "to_iso8601(date|timestamp|timestamptz) → text"))
	r.add(stable("age", bindAge, "symbolic difference in years, months, days and time; age(x) counts from today's midnight", "age(timestamp, timestamp) → interval", "age(timestamp) → interval"))
	r.add(fn("make_date", bindMakeDate, "date from year, month, day (negative years are BC)", "make_date(year integer, month integer, day integer) → date"))
	r.add(stable("last_day_of_month", bindLastDayOfMonth, "last day of the month (Trino)", "last_day_of_month(date|timestamp|timestamptz) → date"))
	r.add(stable("current_time", bindCurrentTime, "time of day of the statement's start in the session time zone", "current_time() → time"), "localtime")
	r.add(fn("timezone", bindTimezone, "x AT TIME ZONE zone: timestamp → timestamptz (wall clock in zone), timestamptz → timestamp; numeric zones are POSIX (+05 is UTC-5)", "timezone(zone text|interval, timestamp) → timestamptz", "timezone(zone text|interval, timestamptz) → timestamp"))

	// JSON (json.go, json_funcs.go): Trino's functions return NULL on invalid JSON, PostgreSQL's
	// operators raise 22P02.
	r.add(fn("json_extract", bindJSONFn("jt", true, types.JSONT, jsonPathKernel(false)), "value at a JSONPath ($.a.b, $.a[0], $['k']), compact; NULL if absent or invalid JSON (Trino)", "json_extract(json|text, path text) → json"))
	r.add(fn("json_extract_scalar", bindJSONFn("jt", true, types.VarcharT, jsonPathKernel(true)), "scalar at a JSONPath as text; NULL for objects, arrays, null, absent (Trino)", "json_extract_scalar(json|text, path text) → text"))
	r.add(fn("json_parse", bindJSONFn("t", false, types.JSONT, jsonParseKernel), "text to json (compact); 22P02 if invalid (Trino)", "json_parse(text) → json"))
	r.add(fn("json_format", bindJSONFn("j", false, types.VarcharT, jsonFormatKernel), "json to its compact text (Trino)", "json_format(json) → text"))
	r.add(fn("json_array_length", bindJSONFn("j", true, types.Int64T, jsonArrayLengthKernel), "number of elements; NULL if not an array", "json_array_length(json|text) → bigint"))
	r.add(fn("json_array_get", bindJSONFn("ji", true, types.JSONT, jsonArrayGetKernel), "element of a JSON array (negative counts from the end); NULL if absent (Trino)", "json_array_get(json|text, index bigint) → json"))
	r.add(fn("json_size", bindJSONFn("jt", true, types.Int64T, jsonSizeKernel), "members or elements of the value at a JSONPath, 0 for scalars (Trino)", "json_size(json|text, path text) → bigint"))
	r.add(fn("json_typeof", bindJSONFn("j", false, types.VarcharT, jsonTypeofKernel), "object, array, string, number, boolean or null", "json_typeof(json) → text"))
	r.add(fn("json_extract_path", bindJSONExtractPath(false), "value at a path of keys and array indexes", "json_extract_path(json, VARIADIC text) → json"))
	r.add(fn("json_extract_path_text", bindJSONExtractPath(true), "value at a path of keys and array indexes, as text", "json_extract_path_text(json, VARIADIC text) → text"))
	r.add(op("->", bindJSONArrow(false), "object member or array element (negative counts from the end)", "json -> text → json", "json -> integer → json"))
	r.add(op("->>", bindJSONArrow(true), "object member or array element as text", "json ->> text → text", "json ->> integer → text"))
	r.add(op("#>", bindJSONPathOp(false), "value at a path", "json #> text[] → json"))
	r.add(op("#>>", bindJSONPathOp(true), "value at a path as text", "json #>> text[] → text"))

	// Aggregates (aggregate_*.go).
	r.add(agg("count", bindCount, "number of rows (count(*)) or of non-NULL values", "count(*) → bigint", "count(any) → bigint"))
	r.add(agg("sum", bindSum, "sum of non-NULL values", "sum(smallint|integer) → bigint", "sum(bigint) → numeric(38,0)", "sum(numeric(p,s)) → numeric(38,s)", "sum(real|double precision) → double precision", "sum(interval) → interval"))
	r.add(agg("avg", bindAvg, "mean of non-NULL values (exact for integers and numeric, at least 16 fractional digits)", "avg(integer types) → numeric(p,16)", "avg(numeric(p,s)) → numeric(p',max(s,16))", "avg(real|double precision) → double precision", "avg(interval) → interval"))
	r.add(agg("min", bindExtreme(modeMin), "smallest non-NULL value", "min(T) → T"))
	r.add(agg("max", bindExtreme(modeMax), "largest non-NULL value", "max(T) → T"))
	r.add(agg("arbitrary", bindExtreme(modeAny), "some non-NULL value of the group", "arbitrary(T) → T"), "any_value")
	r.add(agg("count_if", bindBoolAgg('c'), "number of true values", "count_if(boolean) → bigint"))
	r.add(agg("bool_and", bindBoolAgg('&'), "true if every non-NULL value is true", "bool_and(boolean) → boolean"), "every")
	r.add(agg("bool_or", bindBoolAgg('|'), "true if any non-NULL value is true", "bool_or(boolean) → boolean"))
	r.add(agg("stddev_samp", bindVariance(statStddevSamp), "sample standard deviation (computed in double precision)", "stddev_samp(numeric types) → double precision"), "stddev")
	r.add(agg("stddev_pop", bindVariance(statStddevPop), "population standard deviation", "stddev_pop(numeric types) → double precision"))
	r.add(agg("var_samp", bindVariance(statVarSamp), "sample variance (computed in double precision)", "var_samp(numeric types) → double precision"), "variance")
	r.add(agg("var_pop", bindVariance(statVarPop), "population variance", "var_pop(numeric types) → double precision"))
	r.add(agg("covar_samp", bindCovar(covSamp), "sample covariance of (y, x) pairs without NULLs", "covar_samp(y, x) → double precision"))
	r.add(agg("covar_pop", bindCovar(covPop), "population covariance", "covar_pop(y, x) → double precision"))
	r.add(agg("corr", bindCovar(covCorr), "correlation coefficient", "corr(y, x) → double precision"))
	r.add(agg("regr_slope", bindCovar(covRegrSlope), "slope of the least-squares line", "regr_slope(y, x) → double precision"))
	r.add(agg("regr_intercept", bindCovar(covRegrIntercept), "y-intercept of the least-squares line", "regr_intercept(y, x) → double precision"))
	r.add(agg("geometric_mean", bindGeoMean, "exp of the mean of ln(x) (Trino)", "geometric_mean(numeric types) → double precision"))
	r.add(agg("string_agg", bindStringAgg, "non-NULL values joined, each after the first preceded by its row's delimiter, in input order", "string_agg(text, delimiter text) → text", "string_agg(bytea, delimiter bytea) → bytea"))
	r.add(agg("array_agg", bindArrayAgg, "values (NULLs included) as an array, in input order", "array_agg(T) → T[]"))
	r.add(agg("min_by", bindMinMaxBy(false), "x of the row with the smallest y (Trino)", "min_by(x T, y orderable) → T"))
	r.add(agg("max_by", bindMinMaxBy(true), "x of the row with the largest y (Trino)", "max_by(x T, y orderable) → T"))
	r.add(agg("approx_distinct", bindApproxDistinct, "approximate count of distinct values (HyperLogLog; e is the standard error, default 0.023)", "approx_distinct(T) → bigint", "approx_distinct(T, e double precision) → bigint"))
	r.add(agg("approx_percentile", bindApproxPercentile, "approximate p-quantile (t-digest; exact nearest rank for small inputs), optionally weighted", "approx_percentile(x, p double precision) → bigint|real|double precision", "approx_percentile(x, w bigint, p double precision) → same"))

	// Window functions (window.go); every aggregate is a window function too.
	r.add(win("row_number", bindNoArgs(types.Int64T, rowNumberKernel), "number of the row in its partition, from 1", "row_number() → bigint"))
	r.add(win("rank", bindNoArgs(types.Int64T, rankKernel), "rank with gaps: row_number of the first peer", "rank() → bigint"))
	r.add(win("dense_rank", bindNoArgs(types.Int64T, denseRankKernel), "rank without gaps: number of the peer group", "dense_rank() → bigint"))
	r.add(win("percent_rank", bindNoArgs(types.Float64T, percentRankKernel), "relative rank: (rank - 1) / (partition rows - 1)", "percent_rank() → double precision"))
	r.add(win("cume_dist", bindNoArgs(types.Float64T, cumeDistKernel), "cumulative distribution: rows up to the last peer / partition rows", "cume_dist() → double precision"))
	r.add(win("ntile", bindNtile, "bucket number from 1 to n, dividing the partition as equally as possible", "ntile(n integer) → integer"))
	r.add(win("lag", bindLagLead(false), "value at offset rows before the row in its partition, else default (NULL)", "lag(T[, offset integer[, default T]]) → T"))
	r.add(win("lead", bindLagLead(true), "value at offset rows after the row in its partition, else default (NULL)", "lead(T[, offset integer[, default T]]) → T"))
	r.add(win("first_value", bindValue(true), "value at the first row of the frame", "first_value(T) → T"))
	r.add(win("last_value", bindValue(false), "value at the last row of the frame", "last_value(T) → T"))
	r.add(win("nth_value", bindNthValue, "value at the n-th row of the frame (from 1), NULL if none", "nth_value(T, n integer) → T"))

	// Session and system-catalog functions (session_funcs.go, pg_catalog_funcs.go).
	addSessionFuncs(r)
	addCatalogFuncs(r)
	addIdentFuncs(r)     // pg_ident.go
	addJSONBuildFuncs(r) // pg_json_build.go
	addFormatFunc(r)     // pg_format.go
	addBitwiseOps(r)     // pg_bitwise.go
	return r
}

// op declares an immutable operator.
func op(name string, b Binder, doc string, sigs ...string) *Func {
	return &Func{Name: name, Kind: ScalarKind, Volatility: Immutable, Bind: b, Doc: doc, Signatures: sigs}
}

// fn declares an immutable scalar function.
func fn(name string, b Binder, doc string, sigs ...string) *Func { return op(name, b, doc, sigs...) }

// stable declares a stable scalar function.
func stable(name string, b Binder, doc string, sigs ...string) *Func {
	return &Func{Name: name, Kind: ScalarKind, Volatility: Stable, Bind: b, Doc: doc, Signatures: sigs}
}

// agg declares an aggregate function.
func agg(name string, b Binder, doc string, sigs ...string) *Func {
	return &Func{Name: name, Kind: AggregateKind, Volatility: Immutable, Bind: b, Doc: doc, Signatures: sigs}
}

package function

import "github.com/quarrydb/quarry/types"

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
	r.add(fn("sqrt", bindFloatFn(1, fnSqrt), "square root", "sqrt(double precision) → double precision"))
	r.add(fn("cbrt", bindFloatFn(1, fnCbrt), "cube root", "cbrt(double precision) → double precision"))
	r.add(fn("power", bindFloatFn(2, fnPower), "a raised to the power b", "power(double precision, double precision) → double precision"), "pow")
	r.add(fn("exp", bindFloatFn(1, fnExp), "exponential", "exp(double precision) → double precision"))
	r.add(fn("ln", bindFloatFn(1, fnLn), "natural logarithm", "ln(double precision) → double precision"))
	r.add(fn("log", bindLog, "base-10 logarithm, or log(b, x) to base b", "log(double precision) → double precision", "log(b double precision, x double precision) → double precision"))
	r.add(fn("log10", bindFloatFn(1, fnLog10), "base-10 logarithm", "log10(double precision) → double precision"))
	r.add(fn("log2", bindFloatFn(1, fnLog2), "base-2 logarithm", "log2(double precision) → double precision"))
	r.add(fn("mod", bindMod, "remainder, as %", "mod(numeric, numeric) → numeric"))
	r.add(fn("sign", bindAbsSign(true), "-1, 0 or 1", "sign(numeric) → same type"))
	r.add(fn("pi", bindPi, "π", "pi() → double precision"))
	r.add(&Func{Name: "random", Kind: ScalarKind, Volatility: Volatile, Bind: bindRandom, Doc: "uniform random value in [0, 1)", Signatures: []string{"random() → double precision"}}, "rand")
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
	r.add(fn("from_unixtime", bindFromUnixtime, "timestamptz from seconds since the epoch", "from_unixtime(double precision) → timestamptz"), "to_timestamp")

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

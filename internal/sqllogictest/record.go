package sqllogictest

// Kind is what a record does.
type Kind int

const (
	// KindStatement runs SQL and expects success or an error.
	KindStatement Kind = iota
	// KindQuery runs SQL and compares its rows with the expected values.
	KindQuery
	// KindHashThreshold sets how many values a result may have before it is written hashed.
	KindHashThreshold
	// KindHalt stops the script.
	KindHalt
)

// SortMode is how a query's values are ordered before they are compared.
type SortMode int

const (
	// NoSort keeps the rows in the order the engine returned them.
	NoSort SortMode = iota
	// RowSort sorts the rows, comparing their printed values column by column as strings.
	RowSort
	// ValueSort sorts all values individually, ignoring row boundaries.
	ValueSort
)

func (m SortMode) String() string {
	switch m {
	case RowSort:
		return "rowsort"
	case ValueSort:
		return "valuesort"
	}
	return "nosort"
}

// Condition is a `skipif ENGINE` (Skip) or `onlyif ENGINE` line before a record.
type Condition struct {
	Skip   bool
	Engine string
}

func (c Condition) String() string {
	if c.Skip {
		return "skipif " + c.Engine
	}
	return "onlyif " + c.Engine
}

// Record is one record of a script.
type Record struct {
	Kind Kind
	// Line is the 1-based line of the record's command (`statement ok`, `query II`, ...).
	Line       int
	Conditions []Condition
	SQL        string

	// ExpectError is set by `statement error` and `query error`; ErrorPattern, when not
	// empty, is a regular expression the error's "SQLSTATE message" text must contain a
	// match of.
	ExpectError  bool
	ErrorPattern string

	// Types has one letter per result column (I, R, T); Sort and Label come from the query
	// line.
	Types string
	Sort  SortMode
	Label string
	// Expected holds the lines after `----`: one value per line, or one row per line with
	// the values separated by spaces, or a single "N values hashing to H" line.
	Expected []string
	// HasResults tells whether the record had a `----` line.
	HasResults bool

	// Threshold is the value of a hash-threshold record.
	Threshold int

	// Start is the 0-based index of the record's first line (its first condition or comment),
	// SQLEnd the index just past its SQL, and End the index just past the record. Completion
	// (rewriting expected values) replaces lines [SQLEnd, End).
	Start, SQLEnd, End int
}

package main

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// The comparison is `peer compare`'s (../shared/peer/compare.go), written again here because
// Quarry must not depend on the peer module: numbers match within 1e-6 relative or 0.01
// absolute (TPC-H answers are rounded to cents), other values must be equal, and rows are
// sorted first unless order matters.

// readTSV parses an answer file as peer writes it: one row a line, values separated by tabs.
func readTSV(text string) [][]string {
	var rows [][]string
	for _, line := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		if line == "" {
			continue
		}
		rows = append(rows, strings.Split(line, "\t"))
	}
	return rows
}

// diff returns "" when got matches want, else where they first differ.
func diff(want, got [][]string, ordered bool) string {
	if len(want) != len(got) {
		return fmt.Sprintf("%d rows, want %d", len(got), len(want))
	}
	if !ordered {
		want, got = sortRows(want), sortRows(got)
	}
	for i := range want {
		if len(want[i]) != len(got[i]) {
			return fmt.Sprintf("row %d has %d columns, want %d", i+1, len(got[i]), len(want[i]))
		}
		for j := range want[i] {
			if !same(want[i][j], got[i][j]) {
				return fmt.Sprintf("row %d col %d: got %q want %q", i+1, j+1, got[i][j], want[i][j])
			}
		}
	}
	return ""
}

// sortRows returns the rows sorted by their tab-joined text, as peer sorts them.
func sortRows(rows [][]string) [][]string {
	out := slices.Clone(rows)
	slices.SortFunc(out, func(a, b []string) int { return strings.Compare(strings.Join(a, "\t"), strings.Join(b, "\t")) })
	return out
}

func same(want, got string) bool {
	if want == got {
		return true
	}
	w, err1 := strconv.ParseFloat(want, 64)
	g, err2 := strconv.ParseFloat(got, 64)
	if err1 != nil || err2 != nil {
		return strings.TrimSpace(want) == strings.TrimSpace(got)
	}
	d := math.Abs(w - g)
	return d <= 0.01 || d <= 1e-6*math.Abs(w)
}

var orderBy = regexp.MustCompile(`(?i)\border\s+by\b`)

// ordered tells whether a query's row order is part of its answer: it has an ORDER BY (the
// TPC-H queries put ORDER BY only on the outermost query).
func ordered(query string) bool { return orderBy.MatchString(query) }

// check compares a result with its answer. For an ordered query whose rows are right but out
// of order, the message says so: that is a sort bug, not an arithmetic one.
func check(want, got [][]string, isOrdered bool) string {
	msg := diff(want, got, isOrdered)
	if msg != "" && isOrdered && diff(want, got, false) == "" {
		return "rows out of order: " + msg
	}
	return msg
}

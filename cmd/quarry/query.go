package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"strings"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/quarrydb/quarry/engine"
	"github.com/quarrydb/quarry/function"
	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

// query runs SQL in process against the root folder, as the admin user.
func query(ctx context.Context, args []string) error {
	var c config
	var sqlText, format string
	fs := flag.NewFlagSet("query", flag.ContinueOnError)
	fs.StringVar(&sqlText, "c", "", "SQL to run (several statements separated by ;); - or empty reads standard input")
	fs.StringVar(&format, "format", "table", "output: table, csv, tsv or json")
	var cpuProfile string
	fs.StringVar(&cpuProfile, "cpuprofile", "", "write a CPU profile of the run to this file (for developers)")
	if err := loadConfig(fs, &c, args); err != nil {
		return err
	}
	switch format {
	case "table", "csv", "tsv", "json":
	default:
		return fmt.Errorf("unknown --format %q (table, csv, tsv, json)", format)
	}
	if fs.NArg() > 0 {
		// `quarry query "SELECT 1"`: the SQL may also come as the arguments.
		if sqlText != "" {
			return fmt.Errorf("give the SQL either with -c or as arguments, not both")
		}
		sqlText = strings.Join(fs.Args(), " ")
	}
	if sqlText == "" || sqlText == "-" {
		b, err := io.ReadAll(os.Stdin)
		if err != nil {
			return err
		}
		sqlText = string(b)
	}
	log, err := newLogger(c.LogLevel)
	if err != nil {
		return err
	}
	if cpuProfile != "" {
		f, err := os.Create(cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	inst, err := open(ctx, &c, log, true)
	if err != nil {
		return err
	}
	defer inst.Close()
	sess, err := inst.engine.NewSession(ctx, "admin", engine.DefaultCatalog, nil)
	if err != nil {
		return err
	}
	defer sess.Close()
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	stmts, err := sess.Parse(sqlText)
	if err != nil {
		return reportSQLError(sqlText, err)
	}
	for _, st := range stmts {
		if st.Empty {
			continue
		}
		res, err := sess.Execute(ctx, st)
		if err != nil {
			return reportSQLError(sqlText, rebase(st, sqlText, err))
		}
		for _, n := range res.Notices {
			fmt.Fprintln(os.Stderr, "NOTICE: ", n)
		}
		if res.Columns == nil {
			fmt.Fprintln(out, res.Tag)
			continue
		}
		if err := printResult(ctx, out, res, format); err != nil {
			return reportSQLError(sqlText, err)
		}
	}
	return nil
}

func rebase(st engine.Statement, query string, err error) error {
	var e *sqlerr.Error
	if errors.As(err, &e) && e.Position > 0 {
		return e.WithPosition(e.Position + utf8.RuneCountInString(query[:st.Offset]))
	}
	return err
}

func reportSQLError(query string, err error) error {
	e := sqlerr.From(err)
	msg := fmt.Sprintf("ERROR:  %s (SQLSTATE %s)", e.Message, e.Code)
	if e.Detail != "" {
		msg += "\nDETAIL:  " + e.Detail
	}
	if e.Hint != "" {
		msg += "\nHINT:  " + e.Hint
	}
	if e.Position > 0 {
		msg += fmt.Sprintf("\nPOSITION: %d", e.Position)
	}
	fmt.Fprintln(os.Stderr, msg)
	return exitError{1}
}

// printResult writes a result's rows in the chosen format.
func printResult(ctx context.Context, w io.Writer, res *engine.Result, format string) error {
	defer res.Rows.Close()
	var rows [][]*string
	for {
		rec, err := res.Rows.Next(ctx)
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		rows = append(rows, textRows(rec, res.Columns)...)
		rec.Release()
	}
	names := make([]string, len(res.Columns))
	for i, c := range res.Columns {
		names[i] = c.Name
	}
	switch format {
	case "tsv":
		// PostgreSQL's COPY text format: tab-separated, \N for NULL, and backslash escapes
		// for tabs, newlines and backslashes inside values; no quoting.
		esc := strings.NewReplacer("\\", "\\\\", "\t", "\\t", "\n", "\\n", "\r", "\\r")
		fmt.Fprintln(w, strings.Join(names, "\t"))
		for _, r := range rows {
			cells := make([]string, len(r))
			for i, v := range r {
				if v == nil {
					cells[i] = "\\N"
				} else {
					cells[i] = esc.Replace(*v)
				}
			}
			fmt.Fprintln(w, strings.Join(cells, "\t"))
		}
		return nil
	case "csv":
		cw := csv.NewWriter(w)
		cw.Write(names)
		for _, r := range rows {
			rec := make([]string, len(r))
			for i, v := range r {
				if v != nil {
					rec[i] = *v
				}
			}
			cw.Write(rec)
		}
		cw.Flush()
		return cw.Error()
	case "json":
		enc := json.NewEncoder(w)
		for _, r := range rows {
			obj := make(map[string]any, len(r))
			for i, v := range r {
				if v == nil {
					obj[names[i]] = nil
				} else {
					obj[names[i]] = *v
				}
			}
			if err := enc.Encode(obj); err != nil {
				return err
			}
		}
		return nil
	}
	printTable(w, names, rows, res.Columns)
	return nil
}

// textRows renders a batch as PostgreSQL's text output.
func textRows(rec arrow.Record, cols []engine.Column) [][]*string {
	n := int(rec.NumRows())
	out := make([][]*string, n)
	for i := range out {
		out[i] = make([]*string, len(cols))
	}
	var buf []byte
	for c := range cols {
		col := rec.Column(c)
		for i := 0; i < n; i++ {
			if col.IsNull(i) {
				continue
			}
			var s string
			if b, ok := col.(*array.Boolean); ok {
				s = "f"
				if b.Value(i) {
					s = "t"
				}
			} else {
				buf = function.FormatValue(buf[:0], col, i, cols[c].Type)
				s = string(buf)
			}
			out[i][c] = &s
		}
	}
	return out
}

// printTable prints psql's aligned format.
func printTable(w io.Writer, names []string, rows [][]*string, cols []engine.Column) {
	width := make([]int, len(names))
	for i, n := range names {
		width[i] = utf8.RuneCountInString(n)
	}
	for _, r := range rows {
		for i, v := range r {
			if v != nil && utf8.RuneCountInString(*v) > width[i] {
				width[i] = utf8.RuneCountInString(*v)
			}
		}
	}
	var hdr, sep []string
	for i, n := range names {
		pad := width[i] - utf8.RuneCountInString(n)
		hdr = append(hdr, strings.Repeat(" ", pad/2)+n+strings.Repeat(" ", pad-pad/2))
		sep = append(sep, strings.Repeat("-", width[i]))
	}
	fmt.Fprintln(w, " "+strings.Join(hdr, " | "))
	fmt.Fprintln(w, "-"+strings.Join(sep, "-+-")+"-")
	for _, r := range rows {
		cells := make([]string, len(r))
		for i, v := range r {
			s := ""
			if v != nil {
				s = *v
			}
			pad := strings.Repeat(" ", width[i]-utf8.RuneCountInString(s))
			if cols[i].Type.IsNumeric() {
				cells[i] = pad + s
			} else {
				cells[i] = s + pad
			}
		}
		fmt.Fprintln(w, " "+strings.TrimRight(strings.Join(cells, " | "), " "))
	}
	word := "rows"
	if len(rows) == 1 {
		word = "row"
	}
	fmt.Fprintf(w, "(%d %s)\n", len(rows), word)
}

var _ = types.BoolT

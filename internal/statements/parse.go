// Package statements imports bank statements: a CSV export of the merchant's account is read with
// the columns the merchant mapped once (remembered), each incoming line is matched to an open
// invoice by its model 97 reference and amount, shown for confirmation, and the confirmed lines are
// recorded as bank transfers. Every line has a fingerprint stored with its transfer, so importing
// the same statement twice records nothing twice.
package statements

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"time"

	"securelink/internal/apperr"
)

// Columns names the statement's columns (their header text) that hold each value.
type Columns struct {
	Date      string `json:"date"`
	Amount    string `json:"amount"`
	Reference string `json:"reference"`
	Payer     string `json:"payer"`
}

// guesses are header names Serbian and English bank exports commonly use, lower-cased.
var guesses = map[string][]string{
	"date":      {"datum", "datum valute", "datum knjiženja", "date", "value date", "датум"},
	"amount":    {"iznos", "potražuje", "uplata", "priliv", "amount", "credit", "износ"},
	"reference": {"poziv na broj", "poziv na broj odobrenja", "referenca", "reference", "позив на број"},
	"payer":     {"nalogodavac", "uplatilac", "platilac", "naziv", "payer", "name", "налогодавац"},
}

// Table is a parsed statement: its header and rows, as text.
type Table struct {
	Header []string
	Rows   [][]string
}

// MaxRows bounds the lines of one import.
const MaxRows = 2000

// ParseCSV reads a statement in CSV with a comma, semicolon or tab between fields (whichever the
// header line has most of) and an optional byte-order mark.
func ParseCSV(text string) (Table, error) {
	text = strings.TrimPrefix(text, "\ufeff")
	first, _, _ := strings.Cut(text, "\n")
	sep := ','
	best := strings.Count(first, ",")
	for _, c := range []rune{';', '\t'} {
		if n := strings.Count(first, string(c)); n > best {
			sep, best = c, n
		}
	}
	r := csv.NewReader(bytes.NewReader([]byte(text)))
	r.Comma, r.FieldsPerRecord, r.LazyQuotes, r.TrimLeadingSpace = sep, -1, true, true
	records, err := r.ReadAll()
	if err != nil {
		return Table{}, apperr.Invalid("csv", "invalid_csv", "The statement is not readable CSV: %v", err)
	}
	if len(records) < 2 {
		return Table{}, apperr.Invalid("csv", "invalid_csv", "The statement needs a header line and at least one line.")
	}
	if len(records)-1 > MaxRows {
		return Table{}, apperr.Invalid("csv", "too_many_lines", "A statement may have at most %d lines; import it in parts.", MaxRows)
	}
	t := Table{Header: records[0]}
	for i := range t.Header {
		t.Header[i] = strings.TrimSpace(t.Header[i])
	}
	for _, rec := range records[1:] {
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		t.Rows = append(t.Rows, rec)
	}
	return t, nil
}

// index finds the column with header name (case-insensitive); -1 when absent.
func (t Table) index(name string) int {
	for i, h := range t.Header {
		if strings.EqualFold(h, strings.TrimSpace(name)) {
			return i
		}
	}
	return -1
}

// Resolve checks the mapping against the header; empty fields are filled from common header names.
// The date, amount and reference columns are required; the payer is optional.
func (t Table) Resolve(c Columns) (Columns, error) {
	fields := []struct {
		key string
		v   *string
	}{{"date", &c.Date}, {"amount", &c.Amount}, {"reference", &c.Reference}, {"payer", &c.Payer}}
	for _, f := range fields {
		if *f.v != "" {
			if t.index(*f.v) < 0 {
				return c, apperr.Invalid("columns."+f.key, "unknown_column", "The statement has no column %q; its columns are: %s.", *f.v, strings.Join(t.Header, ", "))
			}
			continue
		}
		for _, g := range guesses[f.key] {
			if i := t.index(g); i >= 0 {
				*f.v = t.Header[i]
				break
			}
		}
		if *f.v == "" && f.key != "payer" {
			return c, apperr.Invalid("columns."+f.key, "column_required", "Say which column holds the %s; the statement's columns are: %s.", f.key, strings.Join(t.Header, ", "))
		}
	}
	return c, nil
}

// Line is one statement line as read.
type Line struct {
	Row       int // 1-based, the header being row 0
	Date      time.Time
	Amount    int64 // para; ≤ 0 for money going out
	Reference string
	Payer     string
	// Key is the line's fingerprint: what it says and how many identical lines came before it.
	Key string
	// Err says why the line could not be read; the other fields may be empty.
	Err string
}

// Lines reads every row with the resolved columns.
func (t Table) Lines(c Columns) []Line {
	cell := func(rec []string, name string) string {
		i := t.index(name)
		if name == "" || i < 0 || i >= len(rec) {
			return ""
		}
		return strings.TrimSpace(rec[i])
	}
	seen := map[string]int{}
	out := make([]Line, 0, len(t.Rows))
	for n, rec := range t.Rows {
		l := Line{Row: n + 1, Reference: cell(rec, c.Reference), Payer: cell(rec, c.Payer)}
		var errs []string
		d, err := ParseDate(cell(rec, c.Date))
		if err != nil {
			errs = append(errs, err.Error())
		}
		a, err := ParseAmount(cell(rec, c.Amount))
		if err != nil {
			errs = append(errs, err.Error())
		}
		l.Date, l.Amount, l.Err = d, a, strings.Join(errs, "; ")
		what := strings.Join([]string{l.Date.Format("2006-01-02"), strconv.FormatInt(l.Amount, 10), l.Reference, l.Payer}, "\x00")
		seen[what]++
		sum := sha256.Sum256([]byte(what + "\x00" + strconv.Itoa(seen[what])))
		l.Key = hex.EncodeToString(sum[:16])
		out = append(out, l)
	}
	return out
}

// ParseAmount reads an amount as banks write it: "4.800,00", "4800,00", "4,800.00", "4800.5",
// "-120,00", with or without "RSD"; it returns para.
func ParseAmount(s string) (int64, error) {
	bad := errors.New("the amount " + strconvQuote(s) + " is not a number such as 4.800,00")
	v := strings.NewReplacer(" ", "", "\u00a0", "", "RSD", "", "din.", "", "'", "").Replace(strings.TrimSpace(s))
	neg := strings.HasPrefix(v, "-")
	v = strings.TrimPrefix(strings.TrimPrefix(v, "-"), "+")
	if v == "" {
		return 0, bad
	}
	whole, frac := v, ""
	lastComma, lastDot := strings.LastIndexByte(v, ','), strings.LastIndexByte(v, '.')
	if dec := max(lastComma, lastDot); dec >= 0 {
		// The last separator is the decimal one when one or two digits follow it and, if the other
		// separator also occurs, it comes last; otherwise separators group thousands.
		if tail := v[dec+1:]; len(tail) <= 2 && len(tail) > 0 {
			whole, frac = v[:dec], tail
		}
	}
	// Thousands separators must group the digits by three: "4.800" but not "48,00".
	if groups := strings.FieldsFunc(whole, func(r rune) bool { return r == '.' || r == ',' }); len(groups) > 1 {
		for i, g := range groups {
			if (i == 0 && len(g) > 3) || (i > 0 && len(g) != 3) {
				return 0, bad
			}
		}
	}
	whole = strings.NewReplacer(".", "", ",", "").Replace(whole)
	if whole == "" {
		whole = "0"
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || w > 999_999_999_999 {
		return 0, bad
	}
	for len(frac) < 2 {
		frac += "0"
	}
	f, err := strconv.ParseInt(frac, 10, 64)
	if err != nil {
		return 0, bad
	}
	para := w*100 + f
	if neg {
		para = -para
	}
	return para, nil
}

// ParseDate reads a date as banks write it: 02.12.2026, 02.12.2026., 2026-12-02, 02/12/2026, with
// an optional time after it.
func ParseDate(s string) (time.Time, error) {
	v := strings.TrimSpace(s)
	if i := strings.IndexAny(v, " T"); i > 0 {
		v = v[:i]
	}
	v = strings.TrimSuffix(v, ".")
	for _, layout := range []string{"02.01.2006", "2.1.2006", "2006-01-02", "02/01/2006", "2/1/2006"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, errors.New("the date " + strconvQuote(s) + " is not a date such as 02.12.2026")
}

func strconvQuote(s string) string { return strconv.Quote(s) }

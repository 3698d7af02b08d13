package statements_test

import (
	"testing"
	"time"

	"securelink/internal/statements"
)

func TestParseAmount(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"4.800,00", 480000, true},
		{"4800,00", 480000, true},
		{"4,800.00", 480000, true},
		{"4800.5", 480050, true},
		{"1.234.567,89", 123456789, true},
		{"4.800", 480000, true}, // thousands only
		{"RSD 4.800,00", 480000, true},
		{"-1.200,00", -120000, true},
		{"0,01", 1, true},
		{"", 0, false},
		{"abc", 0, false},
		{"4800,00,00", 0, false},
	}
	for _, tt := range tests {
		got, err := statements.ParseAmount(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseAmount(%q) = %d, %v; want %d ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func TestParseDate(t *testing.T) {
	want := time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC)
	for _, in := range []string{"02.12.2026", "02.12.2026.", "2.12.2026", "2026-12-02", "02/12/2026", "02.12.2026 14:30"} {
		if got, err := statements.ParseDate(in); err != nil || !got.Equal(want) {
			t.Errorf("ParseDate(%q) = %v, %v", in, got, err)
		}
	}
	for _, in := range []string{"", "12/31/2026", "sutra"} {
		if _, err := statements.ParseDate(in); err == nil {
			t.Errorf("ParseDate(%q) accepted", in)
		}
	}
}

func TestParseCSVAndColumns(t *testing.T) {
	csv := "\ufeffDatum;Iznos;Poziv na broj;Nalogodavac\n02.12.2026;4.800,00;97 20 000123;Ana Anić\n02.12.2026;4.800,00;97 20 000123;Ana Anić\n\n"
	tab, err := statements.ParseCSV(csv)
	if err != nil {
		t.Fatal(err)
	}
	cols, err := tab.Resolve(statements.Columns{})
	if err != nil || cols != (statements.Columns{Date: "Datum", Amount: "Iznos", Reference: "Poziv na broj", Payer: "Nalogodavac"}) {
		t.Fatalf("Resolve = %+v, %v", cols, err)
	}
	lines := tab.Lines(cols)
	if len(lines) != 2 || lines[0].Amount != 480000 || lines[0].Payer != "Ana Anić" {
		t.Fatalf("lines = %+v", lines)
	}
	// Two identical lines are two transfers: their fingerprints differ, and stay the same next time.
	if lines[0].Key == lines[1].Key || lines[0].Key != tab.Lines(cols)[0].Key {
		t.Errorf("fingerprints %q %q", lines[0].Key, lines[1].Key)
	}
	if _, err := tab.Resolve(statements.Columns{Amount: "Saldo"}); err == nil {
		t.Error("an unknown column was accepted")
	}
}

package serbia_test

import (
	"errors"
	"strings"
	"testing"

	"securelink/internal/domain/serbia"
)

// valid is a payload every row of the table changes in one way.
func valid() serbia.IPS {
	return serbia.IPS{Account: "160000000012345654", Payee: "Pekara Mika, Beograd", Amount: 480000,
		PaymentCode: "221", Purpose: "Plaćanje računa INV-000123", Reference: "9720000123"}
}

func TestIPSPayloadRules(t *testing.T) {
	cyr70 := strings.Repeat("Ђ", 70) // 70 characters, 140 bytes
	tests := []struct {
		name   string
		change func(*serbia.IPS)
		want   string // the payload, or "" when refused
		tag    string // the tag a refusal names
	}{
		{"all tags", func(*serbia.IPS) {},
			"K:PR|V:01|C:1|R:160000000012345654|N:Pekara Mika, Beograd|I:RSD4800,00|SF:221|S:Plaćanje računa INV-000123|RO:9720000123", ""},
		{"optional payer comes before SF", func(p *serbia.IPS) { p.Payer = "Ана Анић, Нови Сад" },
			"K:PR|V:01|C:1|R:160000000012345654|N:Pekara Mika, Beograd|I:RSD4800,00|P:Ана Анић, Нови Сад|SF:221|S:Plaćanje računa INV-000123|RO:9720000123", ""},
		{"no empty tags: purpose and reference left out", func(p *serbia.IPS) { p.Purpose, p.Reference = "", "" },
			"K:PR|V:01|C:1|R:160000000012345654|N:Pekara Mika, Beograd|I:RSD4800,00|SF:221", ""},
		{"smallest amount", func(p *serbia.IPS) { p.Amount = 1 }, "I:RSD0,01", ""},
		{"largest amount", func(p *serbia.IPS) { p.Amount = 99_999_999_999_999 }, "I:RSD999999999999,99", ""},
		{"decimal comma, no thousands separator", func(p *serbia.IPS) { p.Amount = 123456789 }, "I:RSD1234567,89", ""},
		{"zero amount", func(p *serbia.IPS) { p.Amount = 0 }, "", "I"},
		{"amount over the limit", func(p *serbia.IPS) { p.Amount = 100_000_000_000_000 }, "", "I"},
		{"negative amount", func(p *serbia.IPS) { p.Amount = -100 }, "", "I"},
		{"account of 17 digits", func(p *serbia.IPS) { p.Account = "16000000001234565" }, "", "R"},
		{"account with dashes", func(p *serbia.IPS) { p.Account = "160-0000000123456-54" }, "", "R"},
		{"account control digits", func(p *serbia.IPS) { p.Account = "160000000012345655" }, "", "R"},
		{"payee of 70 Cyrillic characters", func(p *serbia.IPS) { p.Payee = cyr70 }, "N:" + cyr70 + "|", ""},
		{"payee of 71 characters", func(p *serbia.IPS) { p.Payee = cyr70 + "a" }, "", "N"},
		{"payee missing", func(p *serbia.IPS) { p.Payee = "" }, "", "N"},
		{"payee with the separator", func(p *serbia.IPS) { p.Payee = "A|B" }, "", "N"},
		{"payee on two lines", func(p *serbia.IPS) { p.Payee = "Pekara Mika\nBeograd" }, "N:Pekara Mika\nBeograd|", ""},
		{"payee with a tab", func(p *serbia.IPS) { p.Payee = "Pekara\tMika" }, "", "N"},
		{"payee with a trailing space", func(p *serbia.IPS) { p.Payee = "Pekara " }, "", "N"},
		{"purpose of 35 Cyrillic characters", func(p *serbia.IPS) { p.Purpose = "Плаћање рачуна ИНВ-000123 за јун ђж" },
			"S:Плаћање рачуна ИНВ-000123 за јун ђж|", ""},
		{"purpose of 36 characters", func(p *serbia.IPS) { p.Purpose = "Плаћање рачуна ИНВ-000123 за јун ђжш" }, "", "S"},
		{"payer of 71 characters", func(p *serbia.IPS) { p.Payer = cyr70 + "ж" }, "", "P"},
		{"payment code 189 (cash)", func(p *serbia.IPS) { p.PaymentCode = "189" }, "SF:189|", ""},
		{"payment code of 2 digits", func(p *serbia.IPS) { p.PaymentCode = "22" }, "", "SF"},
		{"payment code starting with 3", func(p *serbia.IPS) { p.PaymentCode = "321" }, "", "SF"},
		{"payment code missing", func(p *serbia.IPS) { p.PaymentCode = "" }, "", "SF"},
		{"reference with wrong check digits", func(p *serbia.IPS) { p.Reference = "9721000123" }, "", "RO"},
		{"reference with spaces", func(p *serbia.IPS) { p.Reference = "97 20 000123" }, "", "RO"},
		{"reference with dashes", func(p *serbia.IPS) { p.Reference = "97-20-000123" }, "", "RO"},
		{"reference of 26 characters", func(p *serbia.IPS) { p.Reference = "97" + strings.Repeat("1", 24) }, "", "RO"},
		{"reference of model 00", func(p *serbia.IPS) { p.Reference = "00123456" }, "|RO:00123456", ""},
		{"reference without a model", func(p *serbia.IPS) { p.Reference = "X1" }, "", "RO"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := valid()
			tt.change(&p)
			got, err := p.Payload()
			if tt.tag != "" {
				var fe *serbia.FieldError
				if !errors.As(err, &fe) || fe.Tag != tt.tag || !errors.Is(err, serbia.ErrInvalid) {
					t.Fatalf("Payload() = %q, %v; want a refusal of tag %s", got, err, tt.tag)
				}
				return
			}
			if err != nil {
				t.Fatalf("Payload() refused: %v", err)
			}
			if !strings.Contains(got, tt.want) {
				t.Fatalf("Payload() = %q; want it to contain %q", got, tt.want)
			}
			if strings.HasSuffix(got, "|") || strings.Contains(got, "||") {
				t.Fatalf("Payload() = %q has an empty tag or a trailing |", got)
			}
			back, err := serbia.ParsePayload(got)
			if err != nil || back != p {
				t.Fatalf("ParsePayload(Payload()) = %+v, %v; want %+v", back, err, p)
			}
		})
	}
}

func TestParsePayloadRefusals(t *testing.T) {
	good := "K:PR|V:01|C:1|R:160000000012345654|N:Pekara Mika|I:RSD10,5|SF:221"
	if p, err := serbia.ParsePayload(good); err != nil || p.Amount != 1050 {
		t.Fatalf("ParsePayload(%q) = %+v, %v; want amount 1050", good, p, err)
	}
	for _, s := range []string{
		good + "|",       // trailing separator
		good + "|S:",     // empty tag
		good + "|SF:221", // repeated tag
		good + "|X:1",    // unknown tag
		"K:PT|V:01|C:1|R:160000000012345654|N:Pekara Mika|I:RSD10,50|SF:221", // another kind
		"V:01|K:PR|C:1|R:160000000012345654|N:Pekara Mika|I:RSD10,50|SF:221", // K first
		"K:PR|V:01|C:1|R:160000000012345654|N:Pekara Mika|I:RSD10.50|SF:221", // decimal point
		"K:PR|V:01|C:1|R:160000000012345654|N:Pekara Mika|I:RSD1.000,50|SF:221",
		"K:PR|V:01|C:1|R:160000000012345654|N:Pekara Mika|I:EUR10,50|SF:221",
		"K:PR|V:01|C:1|R:160000000012345654|N:Pekara Mika|I:RSD10,505|SF:221",
		"K:PR|V:01|C:1|R:160000000012345654|N:Pekara Mika|SF:221", // no amount
		"K:PR|V:01|C:1|N:Pekara Mika|I:RSD10,50|SF:221",           // no account
		"K:PR|V:01|C:1|R:160000000012345654|N:Pekara Mika|I:RSD10,50|SF:221|RO:9721000123",
		"K:PR|V:01|C:1|R:160000000012345654|N:Pek\xffara|I:RSD10,50|SF:221",
	} {
		if _, err := serbia.ParsePayload(s); !errors.Is(err, serbia.ErrInvalid) {
			t.Errorf("ParsePayload(%q) = %v; want a refusal", s, err)
		}
	}
}

package invoicepdf

import (
	"bytes"
	"image/png"
	"testing"
)

// TestRasterizeSVG: the drawing keeps its proportions inside the logo box and its colours;
// SVGs the renderer cannot size or read are errors.
func TestRasterizeSVG(t *testing.T) {
	const ns = `xmlns="http://www.w3.org/2000/svg"`
	tests := []struct {
		name       string
		svg        string
		wantW      int
		wantH      int
		wantFailed bool
	}{
		{"wide viewBox", `<svg ` + ns + ` viewBox="0 0 100 20"><rect width="100" height="20" fill="#c00"/></svg>`, 540, 108, false},
		{"tall viewBox", `<svg ` + ns + ` viewBox="0 0 10 40"><rect width="10" height="40" fill="#c00"/></svg>`, 54, 216, false},
		{"width and height in px", `<svg ` + ns + ` width="120px" height="48px"><rect width="120" height="48" fill="#c00"/></svg>`, 540, 216, false},
		{"no size", `<svg ` + ns + `><rect width="10" height="10" fill="#c00"/></svg>`, 0, 0, true},
		{"not XML", `<svg ` + ns + `><rect`, 0, 0, true},
	}
	for _, tc := range tests {
		out, err := rasterizeSVG([]byte(tc.svg))
		if tc.wantFailed {
			if err == nil {
				t.Errorf("%s: rasterised, want an error", tc.name)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		img, err := png.Decode(bytes.NewReader(out))
		if err != nil {
			t.Fatalf("%s: not a PNG: %v", tc.name, err)
		}
		if b := img.Bounds(); b.Dx() != tc.wantW || b.Dy() != tc.wantH {
			t.Errorf("%s: %d×%d, want %d×%d", tc.name, b.Dx(), b.Dy(), tc.wantW, tc.wantH)
		}
		r, g, b, a := img.At(tc.wantW/2, tc.wantH/2).RGBA()
		if r>>8 != 0xcc || g != 0 || b != 0 || a>>8 != 0xff {
			t.Errorf("%s: centre pixel %x %x %x %x, want opaque #c00", tc.name, r>>8, g>>8, b>>8, a>>8)
		}
	}
}

package invoicepdf

import (
	"bytes"
	"fmt"
	"image"
	"image/png"

	"github.com/srwiley/oksvg"
	"github.com/srwiley/rasterx"
)

// Bounds of a rasterised SVG logo: the logo box (45 × 18 mm) at about 300 dpi.
const (
	svgLogoMaxW = 540
	svgLogoMaxH = 216
)

// rasterizeSVG draws an SVG logo (already sanitised at upload: shapes only, nothing loaded from
// outside) into a PNG no larger than the PDF's logo box at print resolution. Elements the renderer
// does not draw, such as text, are left out. An SVG without a usable size, or one the renderer
// cannot read, is an error, and the caller leaves the logo out.
func rasterizeSVG(data []byte) (out []byte, err error) {
	// The renderer is not written for hostile input; a panic in it must not take a PDF down.
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("invoicepdf: svg logo: %v", r)
		}
	}()
	icon, err := oksvg.ReadIconStream(bytes.NewReader(data), oksvg.IgnoreErrorMode)
	if err != nil {
		return nil, fmt.Errorf("invoicepdf: svg logo: %w", err)
	}
	vw, vh := icon.ViewBox.W, icon.ViewBox.H
	if !(vw > 0 && vh > 0) {
		return nil, fmt.Errorf("invoicepdf: svg logo has no size (viewBox or width and height)")
	}
	scale := min(svgLogoMaxW/vw, svgLogoMaxH/vh)
	w, h := max(1, int(vw*scale+0.5)), max(1, int(vh*scale+0.5))
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	icon.SetTarget(0, 0, float64(w), float64(h))
	scanner := rasterx.NewScannerGV(w, h, img, img.Bounds())
	icon.Draw(rasterx.NewDasher(w, h, scanner), 1)
	return encodePNG(img)
}

func encodePNG(img image.Image) ([]byte, error) {
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		return nil, fmt.Errorf("invoicepdf: svg logo: %w", err)
	}
	return b.Bytes(), nil
}

// Package qr draws QR codes: the module matrix, and an SVG of it for pages and e-mails.
package qr

import (
	"bytes"
	"fmt"

	qrcode "github.com/skip2/go-qrcode"
)

// Matrix is the QR code of text (byte mode, so UTF-8 text stays UTF-8) at medium error correction,
// with its quiet zone of four modules: true is a dark module.
func Matrix(text string) ([][]bool, error) {
	q, err := qrcode.New(text, qrcode.Medium)
	if err != nil {
		return nil, fmt.Errorf("qr: %w", err)
	}
	return q.Bitmap(), nil
}

// SVG is the QR code of text as a scalable image: one path of unit squares, crisp at any size.
func SVG(text string) ([]byte, error) {
	m, err := Matrix(text)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	n := len(m)
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" shape-rendering="crispEdges">`, n, n)
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="`, n, n)
	for y, row := range m {
		for x, dark := range row {
			if dark {
				fmt.Fprintf(&b, "M%d %dh1v1h-1z", x, y)
			}
		}
	}
	b.WriteString(`"/></svg>`)
	return b.Bytes(), nil
}

// Package frontendpay embeds the built payer checkout (the Svelte SPA served at /pay/{token}).
//
// dist/ holds only .gitkeep in a fresh clone, so the Go build never needs npm; `npm run build`
// in this folder fills it with index.html and the hashed files under assets/.
package frontendpay

import (
	"embed"
	"io/fs"
)

//go:embed all:dist
var dist embed.FS

// Dist returns the built checkout with dist/ as its root: index.html and assets/….
func Dist() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		// fs.Sub fails only for an invalid path name, and "dist" is valid.
		panic(err)
	}
	return sub
}

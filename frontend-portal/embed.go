// Package frontendportal holds the built merchant portal SPA so the securelink binary can serve it at /portal/.
package frontendportal

import (
	"embed"
	"io/fs"
)

// distFiles is the Vite build output; "all:" keeps dist/.gitkeep so the package builds before any npm step.
//
//go:embed all:dist
var distFiles embed.FS

// Dist returns the built portal rooted at dist/: index.html at the top and hashed files under assets/.
// Before `npm run build` it holds only .gitkeep, and a server should answer 503 for index.html.
func Dist() fs.FS {
	sub, err := fs.Sub(distFiles, "dist")
	if err != nil {
		// fs.Sub fails only on an invalid path, and "dist" is a constant valid path.
		panic(err)
	}
	return sub
}

package api

// publicDocument is the document the reference shows: operations marked x-internal (the portal's
// session, the checkout, providers' webhooks) and their tags are left out. openapi.yaml itself keeps
// them, for the SPAs' generated types.
func publicDocument(doc map[string]any) map[string]any {
	out := make(map[string]any, len(doc))
	for k, v := range doc {
		out[k] = v
	}
	paths, _ := doc["paths"].(map[string]any)
	public := map[string]any{}
	for path, v := range paths {
		item, _ := v.(map[string]any)
		kept := map[string]any{}
		for method, op := range item {
			if o, ok := op.(map[string]any); ok && o["x-internal"] == true {
				continue
			}
			kept[method] = op
		}
		if len(kept) > 0 {
			public[path] = kept
		}
	}
	out["paths"] = public
	if tags, ok := doc["tags"].([]any); ok {
		var kept []any
		for _, t := range tags {
			if m, ok := t.(map[string]any); ok && m["x-internal"] == true {
				continue
			}
			kept = append(kept, t)
		}
		out["tags"] = kept
	}
	return out
}

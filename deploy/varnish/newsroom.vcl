# Varnish 7 in front of the Newsroom app servers (docs/deploy.md).
# Caches reader pages for the s-maxage the app sends, passes staff and every POST, and
# drops pages by cache tag (xkey) when an app server sends
#   PURGE /  with  xkey-purge: <space-separated tags>   (core/cdn.py).
vcl 4.1;

import xkey;

# The site's own file (default.vcl here is one) declares the app servers as backends and
# the ACL "purgers" (who may purge), then includes this file.

sub vcl_recv {
    if (req.method == "PURGE") {
        # Only the app servers may purge: anyone else could empty the cache at will.
        if (!client.ip ~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "xkey-purge header required"));
        }
        set req.http.n-gone = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Purged " + req.http.n-gone));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # Staff and the admin are never cached: their pages belong to one person.
    if (req.url ~ "^/(admin|accounts|[a-z]{2}/(admin|accounts))(/|$)"
        || req.http.Cookie ~ "(^|;\s*)sessionid=") {
        return (pass);
    }
    # Reader pages vary on nothing a cookie holds (the app sends no per-reader bytes).
    unset req.http.Cookie;
    return (hash);
}

sub vcl_backend_response {
    # The app says what may be shared (Cache-Control: public, s-maxage); Varnish obeys
    # it. A response setting a cookie belongs to one reader.
    if (beresp.http.Set-Cookie || beresp.http.Cache-Control ~ "private|no-store") {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
}

sub vcl_deliver {
    # The tags are for this cache only; readers need not learn them.
    unset resp.http.xkey;
    unset resp.http.Surrogate-Key;
    unset resp.http.Cache-Tag;
}

vcl 4.1;
# Varnish in front of Newsdesk: caches anonymous pages, honours the app's purges, keeps
# phone and desktop versions apart, and serves stale pages while the app is down.
#
# This file is a template: `newsdesk front_config varnish --backend HOST:PORT` fills in the app's
# address and the cookies that mark a reader's requests as personal (from the app's settings),
# so the two never disagree.
#
# The app decides what is cacheable (Cache-Control: public, s-maxage) and declares what a page
# depends on with Vary (the mobile version varies on the device class), so Varnish keeps one
# object per variant; a purge removes every variant of a URL. Point NEWSDESK_FRONTEND_CACHE_URLS
# at Varnish so the app's purges reach it (see docs/deploy.md).

import std;

backend newsdesk {
    .host = "${backend_host}";
    .port = "${backend_port}";
    .connect_timeout = 2s;
    .first_byte_timeout = 30s;
    .probe = {
        .url = "/healthz";
        .interval = 1s;
        .timeout = 1s;
        .window = 3;
        .threshold = 2;
    }
}

acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (!client.ip ~ purgers) {
            return (synth(405, "Purging is not allowed from " + client.ip));
        }
        # A path ending in * purges everything under it ("/*" is the whole site); any other path
        # purges that page with every query string (?page=2…) and every variant (phone/desktop).
        if (req.url ~ "\*$") {
            ban("obj.http.X-Host == " + req.http.host + " && obj.http.X-Path ~ ^" + regsub(req.url, "\*$", ""));
        } else {
            ban("obj.http.X-Host == " + req.http.host + " && obj.http.X-Path == " + regsub(req.url, "\?.*$", ""));
        }
        return (synth(200, "Purged"));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # Signed-in newsroom staff and readers with personal state get the app directly.
    if (req.http.Cookie ~ "(^|; *)(${personal_cookies})=" || req.url ~ "^/admin/") {
        return (pass);
    }
    # Nothing else in a cookie changes a cached page; dropping them keeps one copy for everyone.
    unset req.http.Cookie;
    if (std.healthy(req.backend_hint)) {
        set req.grace = 30s;
    }
    return (hash);
}

sub vcl_backend_response {
    # Remember where an object came from, so purges can find it without scanning request data.
    set beresp.http.X-Host = bereq.http.host;
    set beresp.http.X-Path = regsub(bereq.url, "\?.*$", "");
    # Keep expired objects a day: served while refreshing, and while the app is down.
    set beresp.grace = 24h;
    if (beresp.http.Set-Cookie || beresp.http.Cache-Control ~ "private|no-store|no-cache") {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
}

sub vcl_deliver {
    if (obj.hits > 0) {
        set resp.http.X-Front-Cache = "HIT";
    } else {
        set resp.http.X-Front-Cache = "MISS";
    }
    unset resp.http.X-Host;
    unset resp.http.X-Path;
}

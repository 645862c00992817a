vcl 4.1;
# Varnish in front of Newsdesk: caches anonymous pages, honours the app's purges, keeps
# phone and desktop versions apart, and serves stale pages while the app is down.
#
# This file is a template: `newsdesk front_config varnish --backend HOST:PORT` fills in the app's
# address and the cookies that mark a reader's requests as personal (from the app's settings),
# so the two never disagree.
#
# The app decides what is cacheable (Cache-Control: public, s-maxage); a purge removes every
# variant of a URL. Point NEWSDESK_FRONTEND_CACHE_URLS at Varnish so the app's purges reach it
# (see docs/deploy.md).
#
# Phones and desktops: a full article address answers phones with a redirect to the mobile
# version, and phone readers who chose the full site (cookie newsdesk_full=1) with the full page
# and a "Mobile version" link. Varnish does not guess devices from user agents itself: it asks
# the app once per distinct user agent and client hint (GET /_device, itself cached here for a
# day), restarts the request with the answer in X-Newsdesk-Device, and keys pages on it and the
# reader's choice. Why this rather than Vary: see the DESIGN note in newsdesk/mobile/caching.py.

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
    if (req.restarts == 0) {
        # Only this file sets these: a client's own copies are dropped.
        unset req.http.X-Newsdesk-Device;
        unset req.http.X-Newsdesk-Lookup;
    }
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
    # Nothing in a cookie but the reader's choice of version (newsdesk.mobile.devices) changes a
    # cached page; dropping the rest keeps one copy for everyone.
    if (req.http.Cookie ~ "(^|; *)newsdesk_full=1( *;|$)") {
        set req.http.Cookie = "newsdesk_full=1";
    } else {
        unset req.http.Cookie;
    }
    if (!req.http.X-Newsdesk-Device && req.url ~ "${article_paths}") {
        # A full article address: first the device class of this client, then the page. Other
        # pages (fronts, feeds, the mobile pages) are the same for every reader: one copy.
        if (req.http.Sec-CH-UA-Mobile ~ "^\s*\?1\s*$") {
            # The client hint, when sent (Chromium sends it on every request), decides alone
            # in the app too (newsdesk.mobile.devices.device_class): no lookup needed.
            set req.http.X-Newsdesk-Device = "phone";
        } elsif (req.http.Sec-CH-UA-Mobile ~ "^\s*\?0\s*$") {
            set req.http.X-Newsdesk-Device = "desktop";
        } else {
            # Otherwise the app classifies the user agent (a cached answer after the first
            # time), and vcl_deliver restarts with the class.
            set req.http.X-Newsdesk-Lookup = req.url;
            set req.url = "/_device";
        }
    }
    if (std.healthy(req.backend_hint)) {
        set req.grace = 30s;
    }
    return (hash);
}

sub vcl_hash {
    if (req.url == "/_device") {
        hash_data(req.http.User-Agent);
        hash_data(req.http.Sec-CH-UA-Mobile);
    } elsif (req.http.X-Newsdesk-Device) {
        hash_data(req.http.X-Newsdesk-Device);
        if (req.http.X-Newsdesk-Device == "phone" && req.http.Cookie) {
            hash_data("full-site");
        }
    }
    # The built-in vcl_hash adds the URL and host.
}

sub vcl_hit {
    if (req.http.X-Newsdesk-Lookup) {
        # The device class was cached: straight on to the page, without building a response for
        # the answer (vcl_deliver does the same when the answer had to be fetched).
        set req.http.X-Newsdesk-Device = obj.http.X-Newsdesk-Device;
        call restart_with_device;
    }
}

sub restart_with_device {
    # Without an answer (the app is down and the class not cached) the reader gets the desktop
    # copy, which grace still holds.
    if (req.http.X-Newsdesk-Device != "phone") {
        set req.http.X-Newsdesk-Device = "desktop";
    }
    set req.url = req.http.X-Newsdesk-Lookup;
    unset req.http.X-Newsdesk-Lookup;
    return (restart);
}

sub vcl_backend_response {
    # Remember where an object came from, so purges can find it without scanning request data.
    set beresp.http.X-Host = bereq.http.host;
    set beresp.http.X-Path = regsub(bereq.url, "\?.*$", "");
    # Keep expired objects a day: served while refreshing, and while the app is down.
    set beresp.grace = 24h;
    if (beresp.http.Vary) {
        # The hash already holds the device bucket: a Vary on what decided it would only split
        # each bucket per browser. Downstream caches still get the app's Vary (vcl_deliver).
        set beresp.http.X-Newsdesk-Vary = beresp.http.Vary;
        set beresp.http.Vary = regsuball(beresp.http.Vary, "(?i)(^|,)\s*(user-agent|sec-ch-ua-mobile|cookie)\s*(?=,|$)", "");
        set beresp.http.Vary = regsub(beresp.http.Vary, "^\s*,\s*", "");
        if (beresp.http.Vary == "") {
            unset beresp.http.Vary;
        }
    }
    if (beresp.http.Set-Cookie || beresp.http.Cache-Control ~ "private|no-store|no-cache") {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
}

sub vcl_deliver {
    if (req.http.X-Newsdesk-Lookup) {
        # The device class was fetched from the app: now the page.
        set req.http.X-Newsdesk-Device = resp.http.X-Newsdesk-Device;
        call restart_with_device;
    }
    if (resp.http.X-Newsdesk-Vary) {
        set resp.http.Vary = resp.http.X-Newsdesk-Vary;
        unset resp.http.X-Newsdesk-Vary;
    }
    if (obj.hits > 0) {
        set resp.http.X-Front-Cache = "HIT";
    } else {
        set resp.http.X-Front-Cache = "MISS";
    }
    unset resp.http.X-Host;
    unset resp.http.X-Path;
}

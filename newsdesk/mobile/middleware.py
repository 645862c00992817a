class ClientHintsMiddleware:
    """Ask browsers for the ``Sec-CH-UA-Mobile`` hint the phone decision reads.

    Chromium sends it by default (a low-entropy hint), so ``Accept-CH`` only states our use of
    it, and ``Critical-CH`` (which makes a browser retry a request that lacked the hint) is not
    needed: a request without it comes from a browser that does not know it, and its user agent
    decides. Placed inside the page cache, so cached pages carry the header too.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.get("Content-Type", "").startswith("text/html"):
            response.setdefault("Accept-CH", "Sec-CH-UA-Mobile")
        return response

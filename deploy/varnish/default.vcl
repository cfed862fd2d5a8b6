# A site's Varnish file (/etc/varnish/default.vcl): its app servers and who may purge,
# then the shared rules. Start varnishd with -p vcl_path=<this folder>:/usr/share/varnish/vcl.
vcl 4.1;

import directors;

backend app1 { .host = "10.0.0.11"; .port = "8000"; }
backend app2 { .host = "10.0.0.12"; .port = "8000"; }

# Every app server and task worker host: they send the tag purges (core/cdn.py).
acl purgers {
    "10.0.0.11";
    "10.0.0.12";
}

sub vcl_init {
    new apps = directors.round_robin();
    apps.add_backend(app1);
    apps.add_backend(app2);
}

sub vcl_recv {
    set req.backend_hint = apps.backend();
}

include "newsroom.vcl";

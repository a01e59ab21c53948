-- Where each host's API listens, as the host advertises it at start: the control planes mirror the
-- cell, endpoints included, into the base store, whose log tells the routers. Empty until a host
-- that advertises one registers; such a host is not routable.
ALTER TABLE cell_hosts ADD COLUMN endpoint text;

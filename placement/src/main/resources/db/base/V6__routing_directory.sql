-- Where requests can go, for routers: each shard's cell of data-plane hosts (mirrored by the control
-- planes from each shard's own cell_hosts, which hosts write at start), and the control plane
-- instances (each records itself at start). Versions come from placement_versions, like every other
-- entry of the base store's log.

CREATE TABLE cell_hosts (
    shard    text   NOT NULL REFERENCES shards (id),
    host     text   COLLATE "C" NOT NULL,
    endpoint text   NOT NULL,
    state    text   NOT NULL CHECK (state IN ('JOINING', 'MEMBER')),
    version  bigint NOT NULL,
    PRIMARY KEY (shard, host)
);

CREATE TABLE control_planes (
    id            text        COLLATE "C" PRIMARY KEY,
    endpoint      text        NOT NULL,
    version       bigint      NOT NULL,
    registered_at timestamptz NOT NULL
);

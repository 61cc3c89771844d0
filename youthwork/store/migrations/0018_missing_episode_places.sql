-- Places linked to missing episodes (youthwork.domain.missing.EpisodePlace): where a young person was found, or a place
-- their return home interview linked to the episode. youthwork.store.tables wrote the table.

CREATE TABLE missing_episode_places (
    id TEXT PRIMARY KEY NOT NULL,
    team_id TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    episode_id TEXT NOT NULL DEFAULT '',
    place_id TEXT NOT NULL DEFAULT '',
    how TEXT NOT NULL DEFAULT 'linked',
    note TEXT NOT NULL DEFAULT '',
    _server_version INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX ix_missing_episode_places_episode ON missing_episode_places (episode_id);
CREATE INDEX ix_missing_episode_places_place ON missing_episode_places (place_id);

"""A portal over many member sites (a district or a city): members are read from their
descriptors and open data (read), merged into pages (merge, pages, opendata), watched
(watch) and searched in the browser over their own shards (search manifest in opendata).
No member page is copied; everything a member sends is data, shown escaped as text."""

"""What a Keputusan kepala daerah cites and names, per region: its legal basis ("Mengingat") and the
offices (Disperindag, BPKAD, Bappeda, Bagian Hukum, Sekretariat Daerah) as each region's Perda names them.

Bagian Hukum edits both in the admin; ``sentra.documents`` reads them through ``selectors``.
"""

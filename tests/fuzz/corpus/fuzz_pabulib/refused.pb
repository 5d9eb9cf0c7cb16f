META
key;value
budget;1.5
vote_type;scoring

META
key;value
budget;100
vote_type;approval
rule?equalshares/add1
PROJECTS
project_id;cost;votes;name;selected
1;50;2;"A; park";2
2;60.5;1;B;0
3;30;1;C;1
VOTES
voter_id;vote
v1#1,3
le?equal2

#!/usr/bin/perl
# Sisimai (Debian's libsisimai-perl) as the oracle of bounce classification: for every mail
# file named on the command line, one line per recipient it reports:
#   file <TAB> recipient <TAB> reason <TAB> hard|soft|none
# Sisimai's softbounce is 1 (soft), 0 (hard) or -1 (neither, as for vacation replies).
use strict;
use warnings;
use Sisimai;

for my $file (@ARGV) {
    my $name = $file;
    $name =~ s{.*/}{};
    my $data = eval { Sisimai->make($file, 'delivered' => 1, 'vacation' => 1) };
    if ($@ || !$data) {
        print join("\t", $name, '', '', ''), "\n";
        next;
    }
    for my $e (@$data) {
        my $soft = $e->softbounce;
        my $kind = $soft == 1 ? 'soft' : $soft == 0 ? 'hard' : 'none';
        print join("\t", $name, lc($e->recipient->address // ''), $e->reason // '', $kind), "\n";
    }
}

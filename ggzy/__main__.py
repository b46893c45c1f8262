import sys

from ggzy.cli import main

sys.exit(main())
